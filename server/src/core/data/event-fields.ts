import { closestName } from '../text/closest-name.js';

/** The fields of one event of `POST /api/events` (model.ts eventSchema); `properties` is the optional one. */
export const EVENT_FIELDS = ['customerExternalId', 'type', 'occurredAt', 'idempotencyKey', 'properties'] as const;

/** At most this many unknown fields are named in one answer (a batch of 10,000 with the same typo says so once per item otherwise). */
export const MAX_NAMED_UNKNOWN_FIELDS = 20;

/** An unknown field of a request's event: where (its position, its key) and the known field it is one slip from. */
export interface UnknownEventField {
  index: number;
  field: string;
  didYouMean: string | null;
}

/**
 * The first field of `raw` that no event has (`propertes`, `occuredAt`), or null: zod's object
 * (and the hand-written check, event-input-check.ts) drop such a key silently, so a client's typo
 * lost the event's properties with a 2xx. One loop over the item's own keys, no array made: it
 * runs on every event of a batch (the parser thread's loop, event-batch.ts, and EventsService.ingest).
 * Not an object (or an array): null, its shape is refused by the event's own checks.
 */
export function unknownEventField(raw: unknown): string | null {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return null;
  for (const k in raw) {
    switch (k) {
      case 'customerExternalId':
      case 'type':
      case 'occurredAt':
      case 'idempotencyKey':
      case 'properties':
        continue;
      default:
        if (Object.hasOwn(raw, k)) return k;
    }
  }
  return null;
}

/** Every unknown field of `raw` (rarely called: only for an item unknownEventField already found one in). */
export function unknownEventFields(raw: object, index: number): UnknownEventField[] {
  const out: UnknownEventField[] = [];
  for (const k of Object.keys(raw)) if (!(EVENT_FIELDS as readonly string[]).includes(k)) out.push({ index, field: k, didYouMean: closestName(k, EVENT_FIELDS) });
  return out;
}

/**
 * The answer's words for them: `propertes: unknown field; did you mean properties?` for a single
 * event, `events[3].propertes: …` for an item of a list; at most MAX_NAMED_UNKNOWN_FIELDS, then how many more.
 */
export function unknownFieldMessages(unknown: readonly UnknownEventField[], single: boolean): string[] {
  const lines = unknown.slice(0, MAX_NAMED_UNKNOWN_FIELDS).map((u) => `${single ? '' : `events[${u.index}].`}${u.field}: unknown field${u.didYouMean ? `; did you mean ${u.didYouMean}?` : `; an event has ${EVENT_FIELDS.join(', ')}`}`);
  if (unknown.length > MAX_NAMED_UNKNOWN_FIELDS) lines.push(`… and ${unknown.length - MAX_NAMED_UNKNOWN_FIELDS} more unknown field(s)`);
  return lines;
}
