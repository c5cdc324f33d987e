import { z } from 'zod';
import { CHANNELS } from '../data/model.js';
import { DURATION_PATTERN, parseDuration } from './duration.js';
import { MAX_DAYS } from '../rules/operators.js';
import { CapsSchema } from '../policy/schema.js';
import { checkExperimentSplit, ExperimentSchema, STRATIFY_FACTS } from '../experiment/schema.js';
import { notADuration } from './typed-duration.js';

/**
 * The flow file format: ONE source for the server's types, the JSON Schema in rules/schema/
 * (`rekindle schema`), validation, and the designer's inspector forms (which read the
 * descriptions and enums from that JSON Schema).
 *
 * A flow is a list of nodes. Each node names its outgoing edges itself (`next`, `yes`/`no`,
 * arm `next`, `responded`/`timedOut`…), so a change on the canvas is a small diff on one node.
 * Canvas positions live in a separate `<id>.layout.yaml`, so moving a box is not a change of
 * behaviour in review.
 */

export const NodeId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-_]*$/, 'node ids are lower-case letters, digits, "-" and "_" (e.g. remind-2h)')
  .max(64)
  .describe('Stable node id (used by edges, the send log and reports)');

const Edge = NodeId.describe('Id of the node that follows');
// Bounded like every day count (100 years): a longer one overflows the engine's date arithmetic and
// the database's wake-up column, failing every batch the journey is in.
const Duration = z
  .string()
  .regex(DURATION_PATTERN, { error: (i) => notADuration(i.input) })
  .refine((t) => !DURATION_PATTERN.test(t) || parseDuration(t) <= MAX_DAYS * 86_400_000, `at most ${MAX_DAYS} days (100 years)`)
  .describe('Duration, e.g. 2h, 3d, 1d12h');
/** Days a coupon stays valid: its expiry is a date, so 100 years at most (beyond, the engine could not write it). */
const ValidDays = z.number().int().positive().max(MAX_DAYS);
const RuleName = z.string().min(1).describe('Name of a rule in rules/segments/');
/**
 * An instant with an explicit offset. Without one, Date.parse would read the text in the
 * server's own time zone, so the same file would fire at different instants on different hosts.
 */
const Instant = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/, 'an ISO date-time with its offset, e.g. 2026-11-01T10:00:00+08:00')
  .refine((s) => !Number.isNaN(Date.parse(s)), 'not a real date-time');
/** A time of day in the shop's zone; a wrong one is named as such (not as a regular expression). */
const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$/;
const TIME_OF_DAY_MESSAGE = 'a time of day HH:MM from 00:00 to 23:59 (shop time), e.g. 09:00 or 21:30';
/** Inline json-rules-engine conditions ({all|any|not: …}); checked by the rule loader. */
const InlineConditions = z.record(z.string(), z.unknown()).describe('Inline json-rules-engine conditions: {all: […]}, {any: […]} or {not: …}');

const base = {
  id: NodeId,
  label: z.string().max(120).optional().describe('Name shown on the canvas'),
  description: z.string().optional().describe('Why this step exists'),
};

/** Which customers an event or condition applies to: property equality, `$key` = the journey key. */
const EventMatch = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).describe('Event properties that must be equal; "$key" stands for this journey\'s key (e.g. the order id)');

export const ReentrySchema = z
  .object({
    policy: z.enum(['never', 'after', 'always']).default('never').describe('May a customer enter again? never / after N days / always'),
    days: z.number().int().positive().optional().describe('With policy "after": days since the last entry'),
  })
  .refine((r) => r.policy !== 'after' || r.days !== undefined, { message: 'policy "after" needs days', path: ['days'] });

export const ScheduleTriggerSchema = z.object({
  type: z.literal('schedule').describe('Customers matching a segment enter on a schedule (daily inflow, e.g. newly asleep)'),
  segment: RuleName.describe('Customers matching this rule enter, every time the schedule fires'),
  every: z.enum(['day', 'hour']).default('day').describe('How often the segment is evaluated'),
  at: z.string().regex(TIME_OF_DAY, TIME_OF_DAY_MESSAGE).default('09:00').describe('Time of day (shop time zone) for daily schedules, HH:MM'),
});
export const EventTriggerSchema = z.object({
  type: z.literal('event').describe('Each matching event starts a journey (order_created, order_paid…)'),
  event: z.string().min(1).describe('Event type that starts a journey, e.g. order_created'),
  match: EventMatch.optional(),
  key: z.string().min(1).optional().describe('Event property that keys the journey (e.g. orderId): one journey per key, so two unpaid orders get two reminders'),
  segment: RuleName.optional().describe('Only customers matching this rule enter'),
  maxAge: Duration.optional().describe('Events older than this when the engine acts on them start no journey (e.g. 24h: importing last year\'s orders reminds nobody); they still wake and end journeys'),
});
export const AudienceTriggerSchema = z.object({
  type: z.literal('audience').describe('A one-off campaign audience, entered once at startAt'),
  segment: RuleName.describe('The one-off audience (evaluated once, at the start time)'),
  startAt: Instant.describe('When the audience enters (ISO date-time with offset, e.g. 2026-10-27T09:00:00+08:00)'),
});
export const TriggerSchema = z.discriminatedUnion('type', [ScheduleTriggerSchema, EventTriggerSchema, AudienceTriggerSchema]);

/** Group-size limit of an entry audience (contact policy, docs/policy.md). */
export const GroupLimitSchema = z.object({
  max: z.number().int().positive().describe('Most customers in one group (Double 11: 30000)'),
  mode: z
    .enum(['split', 'first', 'spread'])
    .default('split')
    .describe('split: sub-groups of at most max (each its own group label); first: keep the first max by `by`; spread: max per day, the rest enter on the following days'),
  by: z.string().min(1).optional().describe('Fact that orders candidates for first/spread (e.g. totalSpent, highest first); stable random order when absent'),
  order: z.enum(['desc', 'asc']).default('desc').describe('Order of `by`'),
});

export const EntryNodeSchema = z.object({
  ...base,
  type: z.literal('entry').describe('Where customers enter the flow (exactly one per flow)'),
  trigger: TriggerSchema.describe('What lets customers in: a schedule over a segment, an event, or a one-off audience'),
  reentry: ReentrySchema.default({ policy: 'never' }),
  limit: GroupLimitSchema.optional().describe('Group-size limit: split, cut or spread an audience larger than max'),
  next: Edge,
});

export const ConditionNodeSchema = z
  .object({
    ...base,
    type: z.literal('condition').describe('Yes/no on a rule (rules/segments/) or inline conditions'),
    rule: RuleName.optional().describe('Name of a rule in rules/segments/ (give rule or conditions)'),
    conditions: InlineConditions.optional(),
    yes: Edge.describe('Next node when the rule matches'),
    no: Edge.describe('Next node when it does not'),
  })
  .refine((n) => (n.rule === undefined) !== (n.conditions === undefined), { message: 'give either rule or conditions', path: ['rule'] });

export const SwitchCaseSchema = z
  .object({
    label: z.string().optional().describe('Name of the branch (the group), shown on the canvas and in reports'),
    rule: RuleName.optional().describe('Name of a rule in rules/segments/ (give rule or conditions)'),
    conditions: InlineConditions.optional(),
    next: Edge.describe('Next node for customers matching this case'),
  })
  .refine((c) => (c.rule === undefined) !== (c.conditions === undefined), { message: 'give either rule or conditions', path: ['rule'] });

export const SwitchNodeSchema = z.object({
  ...base,
  type: z.literal('switch').describe('Several branches: the first case whose rule matches wins (layering, campaign groups)'),
  cases: z.array(SwitchCaseSchema).min(1).describe('Rules tried in order; the first match wins'),
  else: Edge.describe('Next node when no case matches'),
});

export const SplitArmSchema = z.object({
  id: NodeId.describe('Arm id, e.g. a, b, holdout'),
  label: z.string().optional().describe('Name of the arm, shown on the canvas and in experiment reports'),
  weight: z.number().min(0).max(100).describe('Share of customers in percent; arms add up to 100'),
  quota: z.number().int().positive().optional().describe('Exact number of customers for this arm (give it on every arm, instead of relying on weights alone)'),
  holdout: z.boolean().default(false).describe('A holdout arm gets no message: the baseline experiments compare against'),
  next: Edge.describe('Next node for customers in this arm'),
});

export const SplitNodeSchema = z
  .object({
    ...base,
    type: z.literal('split').describe('Random split into arms by weight (A/B tests with a holdout)'),
    by: z.enum(['customer', 'journey']).default('customer').describe('customer: the same customer always lands in the same arm (sticky); journey: drawn anew per journey'),
    salt: z.string().optional().describe('Changes the assignment; defaults to flow id + node id'),
    arms: z.array(SplitArmSchema).min(2).describe('At least two arms whose weights add up to 100'),
    stratify: z.enum(STRATIFY_FACTS).optional().describe('Balance arms within each group of this fact (same share of each lifecycle stage / RFM tier in every arm)'),
    quotaOverflow: NodeId.optional().describe('Arm id that customers follow once every quota is full (they are not part of the experiment)'),
    experiment: ExperimentSchema.optional().describe('Make this split an experiment: responses, attribution window, costs, significance, test-then-roll-out'),
  })
  .superRefine((n, ctx) => {
    checkExperimentSplit(n, ctx);
    const total = n.arms.reduce((s, a) => s + a.weight, 0);
    if (Math.abs(total - 100) > 1e-9) ctx.addIssue({ code: 'custom', message: `arm weights add up to ${total}%, not 100%`, path: ['arms'] });
    const ids = new Set<string>();
    n.arms.forEach((a, i) => {
      if (ids.has(a.id)) ctx.addIssue({ code: 'custom', message: `duplicate arm id "${a.id}"`, path: ['arms', i, 'id'] });
      ids.add(a.id);
    });
  });

export const WaitNodeSchema = z
  .object({
    ...base,
    type: z.literal('wait').describe('Pause: for a duration, until a time of day, or until a date (give exactly one)'),
    duration: Duration.optional(),
    untilTime: z.string().regex(TIME_OF_DAY, TIME_OF_DAY_MESSAGE).optional().describe('Wait until the next HH:MM (shop time zone)'),
    untilDate: Instant.optional().describe('Wait until this ISO date-time (with offset, e.g. 2026-11-01T10:00:00+08:00)'),
    next: Edge,
  })
  // None and several are two slips, said apart: an empty wait read "give exactly one of" as if it
  // had too many.
  .refine((n) => [n.duration, n.untilTime, n.untilDate].some((x) => x !== undefined), {
    message: 'missing how long to wait: give one of duration (e.g. 2h, 3d), untilTime (e.g. 09:00) or untilDate',
    path: ['duration'],
  })
  .refine((n) => [n.duration, n.untilTime, n.untilDate].filter((x) => x !== undefined).length <= 1, {
    message: 'give exactly one of duration, untilTime, untilDate',
    path: ['duration'],
  });

export const WaitForEventNodeSchema = z.object({
  ...base,
  type: z.literal('waitForEvent').describe('Wait for the customer to respond (pay, click…) within a window'),
  events: z.array(z.string().min(1)).min(1).describe('Event types that count as a response, e.g. order_paid, click, reply, coupon_redeemed'),
  match: EventMatch.optional(),
  within: Duration.describe('Response window'),
  responded: Edge.describe('Next node when the customer responds in time'),
  timedOut: Edge.describe('Next node when the window passes'),
});

/**
 * A one-off coupon's threshold is above its value, or none, as rules/coupons.yaml's templates must be
 * (core/coupons/schema.ts): "满10减15" takes more off than the order, a slip for 满150减15 or 满15减10.
 */
function thresholdAboveValue(c: { value: number; minSpend?: number }): boolean {
  return !c.minSpend || c.minSpend > c.value;
}
const COUPON_THRESHOLD = { message: 'minSpend must be above the coupon value (a 20 CNY coupon from 199 CNY), or 0 for none', path: ['minSpend'] };

export const SendNodeSchema = z.object({
  ...base,
  type: z.literal('send').describe('Send a message on one channel (consent and frequency caps apply)'),
  channel: z.enum(CHANNELS).describe('sms, email, wechat, wangwang or push'),
  category: z.enum(['marketing', 'care', 'transactional']).default('marketing').describe('Transactional messages do not count against marketing caps'),
  priority: z.number().int().min(0).max(100).default(50).describe('When two flows compete for the last slot of a cap, the higher priority wins'),
  subject: z.string().optional().describe('Email subject'),
  template: z.string().min(1).describe('Message text; {{customer.name}}, {{facts.aov}}, {{key}}, {{link}}, {{coupon.amount}}, {{coupon.code}}, {{coupon.expires}} are filled in'),
  link: z.string().url().optional().describe('Target URL; sent as a tracked short link whose clicks are recorded'),
  coupon: z
    .union([
      z.string().regex(/^[a-z0-9][a-z0-9-_]*$/).describe('Id of a coupon template in rules/coupons.yaml'),
      z
        .object({
          value: z.number().positive().describe('Coupon value (CNY)'),
          minSpend: z.number().nonnegative().default(0).describe('Minimum order amount (CNY) for the coupon; 0: no minimum'),
          validDays: ValidDays.default(7).describe('Days the coupon stays valid'),
        })
        .refine(thresholdAboveValue, COUPON_THRESHOLD)
        .describe('A one-off coupon (prefer a template in rules/coupons.yaml)'),
    ])
    .optional()
    .describe('Issue a coupon with this message (a template id from rules/coupons.yaml); its code is recorded in the coupons ledger'),
  cost: z.number().nonnegative().optional().describe('Cost of one message (CNY), for ROI reports'),
  fallback: z.enum(CHANNELS).optional().describe('Channel to use when this one is capped, opted out or not consented (e.g. sms → email)'),
  onCapped: z.enum(['skip', 'defer', 'branch']).optional().describe('When a frequency cap blocks: skip the send (the default), defer it until the cap allows, or take the capped branch'),
  capped: Edge.optional().describe('Next node when a cap blocks the send (onCapped: branch)'),
  expiresAfter: Duration.optional().describe('Deferred (quiet hours, caps) past this long after reaching the node, the send is skipped'),
  urgent: z.boolean().optional().describe('Send even inside the policy\'s quiet hours (e.g. a fraud or delivery-failure alert); every other send, transactional too, waits for the morning'),
  next: Edge,
})
  .refine((n) => n.onCapped !== 'branch' || n.capped !== undefined, { message: 'onCapped: branch needs a capped edge', path: ['capped'] })
  // Falling back to the channel that could not send sends nothing new: a slip, refused.
  .refine((n) => n.fallback === undefined || n.fallback !== n.channel, { message: 'fallback must be another channel than the step\'s own', path: ['fallback'] });

export const ActionNodeSchema = z.object({
  ...base,
  type: z.literal('action').describe('Change the customer: add/remove a tag, set an attribute, issue a coupon'),
  action: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('addTag'), tag: z.string().min(1) }),
    z.object({ kind: z.literal('removeTag'), tag: z.string().min(1) }),
    z.object({ kind: z.literal('setAttribute'), name: z.string().min(1), value: z.union([z.string(), z.number(), z.boolean(), z.null()]) }),
    z.object({ kind: z.literal('issueCoupon'), value: z.number().positive(), minSpend: z.number().nonnegative().default(0), validDays: ValidDays.default(7) }).refine(thresholdAboveValue, COUPON_THRESHOLD),
  ]).describe('What to do: {kind: addTag, tag}, {kind: removeTag, tag}, {kind: setAttribute, name, value} or {kind: issueCoupon, value}'),
  next: Edge,
});

export const LimitNodeSchema = z
  .object({
    ...base,
    type: z.literal('limit').describe('Group-size limit on the customers passing this point (after a branch or an experiment arm)'),
    max: z.number().int().positive().describe('At most this many customers per group (Double 11: 30,000), or per day with mode spread'),
    mode: z
      .enum(['split', 'keep', 'spread'])
      .default('split')
      .describe('split: sub-groups of at most max, each its own group for analysis; keep: the first max go on, the rest take overflow; spread: max per day, the rest wait for the next day'),
    next: Edge,
    overflow: Edge.optional().describe('mode keep: where the customers beyond max go (absent: they leave the journey)'),
  })
  .refine((n) => n.mode === 'keep' || n.overflow === undefined, { message: 'overflow only applies to mode keep', path: ['overflow'] });

export const ExitNodeSchema = z.object({
  ...base,
  type: z.literal('exit').describe('End of the journey'),
  goal: z.boolean().default(false).describe('Reaching this exit counts as converting'),
});

export const NodeSchema = z.discriminatedUnion('type', [
  EntryNodeSchema,
  ConditionNodeSchema,
  SwitchNodeSchema,
  SplitNodeSchema,
  WaitNodeSchema,
  WaitForEventNodeSchema,
  SendNodeSchema,
  ActionNodeSchema,
  LimitNodeSchema,
  ExitNodeSchema,
]);

export const ExitOnSchema = z.object({
  event: z.string().min(1).describe('An event that ends the journey wherever the customer is (e.g. order_paid)'),
  match: EventMatch.optional(),
  goal: z.boolean().default(true).describe('Counts as a conversion'),
});

export const FlowSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'flow ids are lower-case letters, digits and "-"').describe('Flow id; the file is rules/flows/<id>.flow.yaml'),
  name: z.string().min(1).describe('Name shown to marketers'),
  description: z.string().optional().describe('What the flow is for, for marketers and reviewers'),
  campaign: z.string().regex(/^[a-z0-9][a-z0-9-_]*$/).optional().describe('Campaign tag (e.g. double11-2026): campaign caps count the touches of every flow with this tag'),
  caps: CapsSchema.optional().describe('Caps of this flow, on top of rules/policy.yaml (one budget per customer across flows)'),
  multiTouchShare: z.number().min(0).max(1).optional().describe('At most this share of the customer base gets more than one touch of the campaign (0.3 = 30%)'),
  exitOn: z.array(ExitOnSchema).default([]).describe('Events that end a journey at any node (goal reached, order cancelled…)'),
  nodes: z.array(NodeSchema).min(1).describe('The steps; each node names the nodes that follow it (next, yes/no, cases, arms…)'),
});

export type Flow = z.infer<typeof FlowSchema>;
export type FlowNode = z.infer<typeof NodeSchema>;
export type NodeType = FlowNode['type'];
export type NodeOfType<T extends NodeType> = Extract<FlowNode, { type: T }>;
export type Trigger = z.infer<typeof TriggerSchema>;

export const NODE_TYPES = NodeSchema.options.map((o) => (o as unknown as { shape: { type: { value: string } } }).shape?.type?.value ?? '').filter(Boolean);

/** Named outgoing edges of a node, in a stable order: [handle, target]. */
export function edgesOf(node: FlowNode): [string, string][] {
  switch (node.type) {
    case 'send':
      return node.capped ? [['next', node.next], ['capped', node.capped]] : [['next', node.next]];
    case 'entry':
    case 'wait':
    case 'action':
      return [['next', node.next]];
    case 'condition':
      return [['yes', node.yes], ['no', node.no]];
    case 'switch':
      return [...node.cases.map((c, i): [string, string] => [`case-${i}`, c.next]), ['else', node.else]];
    case 'split':
      return node.arms.map((a): [string, string] => [`arm-${a.id}`, a.next]);
    case 'waitForEvent':
      return [['responded', node.responded], ['timedOut', node.timedOut]];
    case 'limit':
      return node.overflow ? [['next', node.next], ['overflow', node.overflow]] : [['next', node.next]];
    case 'exit':
      return [];
  }
}

/** Layout file: canvas positions by node id, kept apart from behaviour. */
export const LayoutSchema = z.object({
  positions: z.record(z.string(), z.object({ x: z.number(), y: z.number() })).default({}).describe('Canvas position of each node, by node id'),
});
export type Layout = z.infer<typeof LayoutSchema>;
