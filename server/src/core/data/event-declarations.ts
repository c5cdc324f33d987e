import { z } from 'zod';
import { SYSTEM_EVENTS } from './system-events.js';

/**
 * The shop's own event types, declared in rules/shop.yaml under `events:` (a WeChat reply, a
 * review, a customer-service chat…). Declaring one is what lets `rekindle validate` (which has no
 * event log) and the designer know it before the first one is sent through POST /api/events; the
 * intake itself still accepts any type, declared or not.
 */

/**
 * Lower-case letters, digits, `_`, `.` and `-`, starting with a letter, at most 64 (what
 * POST /api/events stores as a type): the system's own names (`order_paid`) have this shape, and a
 * name with spaces or capitals is one an integration would spell differently from the flow.
 */
export const EVENT_NAME_PATTERN = /^[a-z][a-z0-9_.-]{0,63}$/;

/** What a payload field holds, for the people who write the integration and the `match` of a wait. */
export const EVENT_FIELD_TYPES = ['string', 'number', 'boolean', 'date'] as const;

export const EventDeclarationSchema = z.strictObject({
  name: z
    .string({ error: 'expected the event type as the shop sends it, e.g. name: wechat_reply' })
    .regex(EVENT_NAME_PATTERN, { error: (i) => `"${String(i.input)}" is not an event name: lower-case letters, digits, "_", "." or "-", starting with a letter, at most 64 (e.g. wechat_reply)` }).describe('The event type, exactly as the shop sends it to POST /api/events.'),
  description: z
    .string({ error: 'say what the event means (Chinese or English), e.g. description: 客户在微信里回复了消息' })
    .trim()
    .min(1, { error: 'say what the event means (Chinese or English), e.g. description: 客户在微信里回复了消息' }).describe('What the event means, shown beside its name in the designer.'),
  fields: z
    .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, { error: 'a field name is letters, digits and "_", starting with a letter or "_"' }), z.enum(EVENT_FIELD_TYPES, { error: (i) => `"${String(i.input)}" is not a field type: string, number, boolean or date` }))
    .optional()
    .describe('The properties its payload carries, name: type (string, number, boolean, date); for documentation and the designer.'),
});
export type EventDeclaration = z.infer<typeof EventDeclarationSchema>;

/**
 * The `events:` list. A name declared twice would leave two descriptions for one event, and a
 * system event redeclared (`order_paid`) would look like one the shop sends itself: both are
 * errors on the entry's `name`, so the message lands on the line to edit. They are checked even
 * when another entry is malformed (`when`), so one run of `rekindle validate` shows every problem.
 */
export const EventDeclarationsSchema = z.array(EventDeclarationSchema).superRefine(
  (list, ctx) => {
    const first = new Map<string, number>();
    (list as unknown[]).forEach((d, i) => {
      const name = typeof d === 'object' && d !== null ? (d as { name?: unknown }).name : undefined;
      if (typeof name !== 'string') return;
      if (SYSTEM_EVENTS.includes(name)) {
        ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `"${name}" is a system event (the system records it itself: ${SYSTEM_EVENTS.join(', ')}); remove it from events` });
      } else if (first.has(name)) {
        ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `"${name}" is declared twice (first as events.${first.get(name)})` });
      } else first.set(name, i);
    });
  },
  { when: (payload) => Array.isArray(payload.value) },
);

/**
 * The declarations that are valid one by one, for the checks that only need names: a typo in one
 * entry (reported by `rekindle validate` and at start) must not turn every other declared event in
 * every flow into an "unknown event" warning.
 */
export function usableDeclarations(raw: unknown): EventDeclaration[] {
  if (!Array.isArray(raw)) return [];
  const out: EventDeclaration[] = [];
  for (const item of raw) {
    const r = EventDeclarationSchema.safeParse(item);
    if (r.success && !SYSTEM_EVENTS.includes(r.data.name) && !out.some((d) => d.name === r.data.name)) out.push(r.data);
  }
  return out;
}
