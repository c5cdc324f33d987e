import { z } from 'zod';
import { CHANNELS } from '../data/model.js';
import { DEFAULT_UNSUBSCRIBE_EVENT } from '../data/system-events.js';
import { DURATION_PATTERN } from '../flow/duration.js';
import { notADuration } from '../flow/typed-duration.js';

/**
 * The contact policy: ONE source for the types, the JSON Schema (rules/schema/policy.schema.json,
 * `rekindle schema`), validation of `rules/policy.yaml` and of `PUT /api/policy`. Flow files reuse
 * `CapsSchema` for their own `caps`.
 */

const Duration = z.string().regex(DURATION_PATTERN, { error: (i) => notADuration(i.input) }).describe('Duration, e.g. 24h, 7d');
const Categories = z.array(z.enum(['marketing', 'care', 'transactional'])).min(1);
const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day HH:MM');

export const CapSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-_]*$/, 'cap ids are lower-case letters, digits, "-" and "_"').describe('Names the cap in the send log: "capped:<id>"'),
    max: z.number().int().min(0).describe('Most touches allowed in the window/period/campaign'),
    channels: z.array(z.enum(CHANNELS)).min(1).optional().describe('Channels counted (and capped); all channels when absent'),
    categories: Categories.default(['marketing']).describe('Categories counted (and capped). Transactional messages only count when listed here'),
    window: Duration.optional().describe('Rolling window, e.g. 24h ("no more than 1 message in 24 h")'),
    period: z.enum(['day', 'week', 'month']).optional().describe('Calendar period in the shop time zone ("no more than 2 SMS in November")'),
    campaign: z.boolean().optional().describe('Count the touches of the sending flow\'s campaign ("no more than 3 touches for Double 11")'),
    description: z.string().trim().min(1).max(200).optional().describe('What the cap limits, in the marketer\'s words (e.g. "双十一每人最多 3 次营销触达"): the designer says it where a send is held back by the cap, instead of its id'),
  })
  .refine((c) => [c.window, c.period, c.campaign].filter((x) => x !== undefined && x !== false).length === 1, {
    message: 'give exactly one of window, period, campaign: true',
    path: ['window'],
  });

/**
 * A list of caps (the shop's, or a flow's own): each id once. The send log says `capped:<id>` and
 * the designer names a cap by its id, so two caps with one id could not be told apart there.
 */
export const CapsSchema = z.array(CapSchema).superRefine((caps, ctx) => {
  const first = new Map<string, number>();
  caps.forEach((c, i) => {
    const at = first.get(c.id);
    if (at === undefined) first.set(c.id, i);
    else ctx.addIssue({ code: 'custom', message: `"${c.id}" is already the id of caps.${at}`, path: [i, 'id'] });
  });
});

export const QuietHoursSchema = z.object({
  from: HHMM.describe('Start of the quiet time (shop time zone), e.g. 21:00'),
  to: HHMM.describe('End of the quiet time, e.g. 09:00 (may be on the next day)'),
  categories: Categories.default(['marketing', 'care', 'transactional']).describe('Categories held back; every category by default (payment and shipping notices wait for the morning too). Only a send node marked urgent: true goes inside quiet hours'),
});

export const GiveUpSchema = z.object({
  after: z.number().int().positive().describe('Delivered, unanswered marketing touches (across all flows) after which a customer is given up; blocked, held-back or undelivered messages are not attempts'),
  within: Duration.default('90d').describe('Only touches in this window count'),
  pauseFor: Duration.default('60d').describe('No more marketing for this long after the last touch…'),
  until: z.string().regex(/^\d{4}-\d{2}-\d{2}T/, 'an ISO date-time with offset').optional().describe('…or until this date-time (whichever is later)'),
  answeredBy: z.array(z.string().min(1)).default(['order_paid', 'click']).describe('Event types that answer a touch; buying again always lifts the give-up'),
});

export const SuppressionSchema = z.object({
  unsubscribeEvent: z.string().default(DEFAULT_UNSUBSCRIBE_EVENT).describe('Event type of an opt-out; property "channel" limits it to one channel'),
  lists: z.array(z.string().regex(/^[a-z0-9][a-z0-9-_]*$/)).default([]).describe('Block lists: rules/lists/<name>.txt, one customer external id a line'),
  segments: z.array(z.string().min(1)).default([]).describe('Block rules: customers matching these rules (rules/segments/) get no marketing'),
});

export const PolicySchema = z.object({
  caps: CapsSchema.default([]).describe('Shop-wide caps: one budget per customer across all flows'),
  quietHours: z.partialRecord(z.enum(CHANNELS), QuietHoursSchema).default({}).describe('Per channel: no sends between from and to (shop time zone); sends are deferred'),
  giveUp: GiveUpSchema.optional().describe('Stop marketing to customers who never answer'),
  suppression: SuppressionSchema.default({ unsubscribeEvent: DEFAULT_UNSUBSCRIBE_EVENT, lists: [], segments: [] }),
});

export type Cap = z.infer<typeof CapSchema>;
export type ContactPolicy = z.infer<typeof PolicySchema>;
export type QuietHours = z.infer<typeof QuietHoursSchema>;

export const EMPTY_POLICY: ContactPolicy = PolicySchema.parse({});
