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

/** A problem of one item of the request other than an unknown field (a missing type, an unreadable occurredAt, an unknown customer). */
export interface EventItemIssue {
  index: number;
  field: string;
  message: string;
}

/** At most this many different problems are named in the message of a refused request, then how many more. */
export const MAX_NAMED_PROBLEMS = 20;

/**
 * The issues of a request refused for unknown fields that are worth saying: an item's issue about
 * the field one of its unknown fields was meant to be (`occurredAt: required` beside `occuredAt:
 * unknown field; did you mean occurredAt?`) says the same thing again, and is left out.
 */
export function issuesBesideUnknownFields(unknown: readonly UnknownEventField[], issues: readonly EventItemIssue[]): EventItemIssue[] {
  const meant = new Set(unknown.filter((u) => u.didYouMean).map((u) => `${u.index}\u0000${u.didYouMean}`));
  return meant.size ? issues.filter((i) => !meant.has(`${i.index}\u0000${i.field}`)) : [...issues];
}

/**
 * The message of a request refused for fields no event has: every problem of the request, so a
 * client fixing its typo does not meet the next problem only on its next try — each unknown field
 * (`events[3].propertes: unknown field; did you mean properties?`) and each other item's problem
 * (`events[5].occurredAt: …`), in the order of the items (a single event: without `events[i].`).
 * One problem repeated over many items (a feed's typo is in every event) is one line naming its
 * first item and how many more have it. At most MAX_NAMED_PROBLEMS lines, then how many more.
 * Runs only for a request already refused (the error path), never on an accepted one.
 */
export function refusedRequestMessages(unknown: readonly UnknownEventField[], issues: readonly EventItemIssue[], single: boolean): string[] {
  const lines = new Map<string, { index: number; order: number; text: string; more: number }>();
  const add = (index: number, key: string, text: string) => {
    const seen = lines.get(key);
    if (seen) seen.more++;
    else lines.set(key, { index, order: lines.size, text: `${single ? '' : `events[${index}].`}${text}`, more: 0 });
  };
  for (const u of unknown) add(u.index, `u\u0000${u.field}`, `${u.field}: unknown field${u.didYouMean ? `; did you mean ${u.didYouMean}?` : `; an event has ${EVENT_FIELDS.join(', ')}`}`);
  for (const i of issues) add(i.index, `i\u0000${i.field}\u0000${i.message}`, `${i.field}: ${i.message}`);
  const sorted = [...lines.values()].sort((a, b) => a.index - b.index || a.order - b.order);
  const out = sorted.slice(0, MAX_NAMED_PROBLEMS).map((l) => (l.more ? `${l.text} (the same in ${l.more} more event${l.more === 1 ? '' : 's'})` : l.text));
  if (sorted.length > MAX_NAMED_PROBLEMS) out.push(`… and ${sorted.length - MAX_NAMED_PROBLEMS} more different problem(s)`);
  return out;
}
