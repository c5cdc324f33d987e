import { z } from 'zod';
import { EventBodyShape } from '../../core/data/model.js';
import { MAX_EVENTS_PER_REQUEST } from './events.service.js';

/** What `POST /api/events` reads and answers, for its OpenAPI description (docs/data-import.md tells the same). */
// Strict: a field no event has (a typo, `propertes`) refuses the request with a 400 (core/data/event-fields.ts).
const StrictEvent = EventBodyShape.strict();
export const EventsBody = z.union([StrictEvent, z.array(StrictEvent).max(MAX_EVENTS_PER_REQUEST)]);

const Rejection = z.object({ index: z.number().int().describe('position in the array (0 for a single event)'), field: z.string(), message: z.string() });

export const EventsResult = z.object({
  accepted: z.number().int(),
  duplicates: z.number().int().describe('events whose idempotencyKey was already stored for the same event (not stored again)'),
  rejected: z.array(Rejection).describe('malformed events of a batch (also an occurredAt more than 1 day ahead of the server clock); the others were stored'),
  unknownTypes: z
    .array(z.object({ type: z.string(), count: z.number().int(), firstIndex: z.number().int(), didYouMean: z.string().optional().describe('the known type one slip away, e.g. order_created for order_creatd') }))
    .optional()
    .describe('types of the stored (or duplicate) events that neither the system records nor rules/shop.yaml declares (absent when none): stored, but most likely a typo or an event to declare'),
});

export const EventRejected = EventsResult.extend({
  statusCode: z.literal(400),
  message: z.array(z.string()).describe('"field: message" of each problem; for a field no event has "events[3].propertes: unknown field; did you mean properties?" (a single event: "propertes: …"); a refused request names all its problems, unknown fields and the items\' others, in the order of the items, a problem repeated over many events once ("… (the same in 199 more events)"), at most 20 lines, then how many more'),
  unknownFields: z
    .array(z.object({ index: z.number().int(), field: z.string(), didYouMean: z.string().nullable() }))
    .optional()
    .describe('fields no event has (a typo such as propertes), the first 20: the whole request was refused, nothing of it stored (accepted 0)'),
});

export const EventConflicts = z.object({
  statusCode: z.literal(409),
  message: z.string(),
  conflicts: z.array(z.object({ index: z.number().int(), idempotencyKey: z.string() })).describe('the keys already used for a different event; nothing of the request was stored'),
});
