import { z } from 'zod';
import { closestName } from '../text/closest-name.js';
import { EventTypeSchema } from './event-type.js';
import { SYSTEM_EVENTS } from './system-events.js';

/**
 * The shop's own event types, declared in rules/shop.yaml under `events:` (a WeChat reply, a
 * review, a customer-service chat…). Declaring one is what lets `rekindle validate` (which has no
 * event log) and the designer know it before the first one is sent through POST /api/events; the
 * intake itself still accepts any type, declared or not.
 */

/** What a payload field holds, for the people who write the integration and the `match` of a wait. */
export const EVENT_FIELD_TYPES = ['string', 'number', 'boolean', 'date'] as const;

const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const NAME_NEEDED = 'expected the event type as the shop sends it, e.g. name: wechat_reply';
const DESCRIPTION_NEEDED = 'say what the event means (Chinese or English), e.g. description: 客户在微信里回复了消息';

export const EventDeclarationSchema = z.strictObject(
  {
    // The intake's own definition (data/event-type.ts): whatever type POST /api/events stores can be declared.
    name: z.string({ error: NAME_NEEDED }).pipe(EventTypeSchema).describe('The event type, exactly as the shop sends it to POST /api/events.'),
    description: z.string({ error: DESCRIPTION_NEEDED }).trim().min(1, { error: DESCRIPTION_NEEDED }).describe('What the event means, shown beside its name in the designer.'),
    fields: z
      .record(z.string().regex(FIELD_NAME), z.enum(EVENT_FIELD_TYPES, { error: (i) => `"${String(i.input)}" is not a field type: string, number, boolean or date` }), {
        // zod's own words here are "Invalid key in record" / "expected record": say what a field is.
        error: (i) =>
          i.code === 'invalid_key'
            ? `"${String(i.input)}" is not a field name: letters, digits and "_", starting with a letter or "_", at most 64`
            : i.code === 'invalid_type'
              ? 'expected the payload fields as name: type, e.g. fields: {text: string, rating: number}'
              : undefined,
      })
      .optional()
      .describe('The properties its payload carries, name: type (string, number, boolean, date); for documentation and the designer.'),
  },
  {
    error: (i) =>
      i.code === 'unrecognized_keys'
        ? `unknown ${i.keys.length === 1 ? 'key' : 'keys'} ${i.keys.map((k) => `"${k}"`).join(', ')}: an event has name, description and fields`
        : i.code === 'invalid_type'
          ? 'expected an event with name: and description: (e.g. - name: wechat_reply)'
          : undefined,
  },
);
export type EventDeclaration = z.infer<typeof EventDeclarationSchema>;

/**
 * Why a name may not be declared beside the system's events: it is one (`order_paid` would look like
 * one the shop sends itself), or it is one slip from one (`order_piad`): flows treat a declared name
 * as known, so declaring the slip would silence the "did you mean order_paid" check
 * (flow/event-checks.ts) for every flow that misspells it the same way.
 */
export function systemEventClash(name: string): string | null {
  if (SYSTEM_EVENTS.includes(name)) return `"${name}" is a system event (the system records it itself: ${SYSTEM_EVENTS.join(', ')}); remove it from events`;
  const near = closestName(name, SYSTEM_EVENTS);
  if (near) return `"${name}" is one slip from the system event "${near}": declared, it would hide that misspelling in every flow; if you meant "${near}", remove this entry (the system records it), otherwise choose a name further from it`;
  return null;
}

/**
 * The `events:` list. A name declared twice would leave two descriptions for one event, and a
 * system event (or one slip from one) declared is a trap (systemEventClash): both are errors on
 * the entry's `name`, so the message lands on the line to edit. They are checked even when
 * another entry is malformed (`when`), so one run of `rekindle validate` shows every problem.
 */
export const EventDeclarationsSchema = z
  .array(EventDeclarationSchema, { error: 'expected a list of events, each "- name: …" with a description: (docs/configuration.md)' })
  .superRefine(
    (list, ctx) => {
      const first = new Map<string, number>();
      (list as unknown[]).forEach((d, i) => {
        const raw = typeof d === 'object' && d !== null ? (d as { name?: unknown }).name : undefined;
        if (typeof raw !== 'string') return;
        const name = raw.trim();
        const clash = systemEventClash(name);
        if (clash) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: clash });
        else if (first.has(name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `"${name}" is declared twice (first as events.${first.get(name)})` });
        else first.set(name, i);
      });
    },
    { when: (payload) => Array.isArray(payload.value) },
  );

/**
 * The declarations that are valid one by one, for the checks that only need names: a typo in one
 * entry (reported by `rekindle validate` and at start) must not turn every other declared event in
 * every flow into an "unknown event" warning. An entry refused for clashing with a system event is
 * left out too, so the flows' "did you mean" check still sees the slip.
 */
export function usableDeclarations(raw: unknown): EventDeclaration[] {
  if (!Array.isArray(raw)) return [];
  const out: EventDeclaration[] = [];
  for (const item of raw) {
    const r = EventDeclarationSchema.safeParse(item);
    if (r.success && !systemEventClash(r.data.name) && !out.some((d) => d.name === r.data.name)) out.push(r.data);
  }
  return out;
}
