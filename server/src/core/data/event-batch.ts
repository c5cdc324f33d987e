import { unknownEventField, unknownEventFields, type UnknownEventField } from './event-fields.js';
import { validateEventInput } from './import/row-mapper.js';

/**
 * A batch of events (`POST /api/events` with an array) parsed and validated, as columns: the
 * form in which a parser thread hands it to the thread that writes it (runtime/event-batch-parser.ts).
 * Columns of strings and numbers cross between threads far more cheaply than an array of
 * objects (structured clone rebuilds an object property by property, about what JSON.parse costs).
 * Row i of the columns is the valid event at position `index[i]` of the request's array;
 * `propertiesJson[i]` is the text its properties are stored with.
 */
export interface EventBatchColumns {
  index: number[];
  customerExternalId: string[];
  type: string[];
  occurredAt: number[];
  idempotencyKey: string[];
  propertiesJson: string[];
  /** The invalid items, each issue naming the item's index and its field (as EventsService.ingest). */
  rejected: { index: number; field: string; message: string }[];
  /** Fields no event has (a client's typo, `propertes`): any refuses the whole request, nothing stored (event-fields.ts). */
  unknownFields: UnknownEventField[];
}

/**
 * Parses a request body that should be an array of at most `max` events and validates each item
 * exactly as EventsService.ingest does (validateEventInput). null when the text is not JSON or
 * not such an array: the caller then handles the body as before (its error answers, a single
 * event, a list over the limit), so this never decides an answer of its own.
 */
export function parseEventBatch(text: string, timezone: string, max: number): EventBatchColumns | null {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return null;
  }
  return eventBatchColumns(body, timezone, max);
}

/** parseEventBatch of a body already parsed (the parser thread parses a list in pieces: runtime/json-list-pieces.ts). */
export function eventBatchColumns(body: unknown, timezone: string, max: number): EventBatchColumns | null {
  if (!Array.isArray(body) || body.length > max) return null;
  const out: EventBatchColumns = { index: [], customerExternalId: [], type: [], occurredAt: [], idempotencyKey: [], propertiesJson: [], rejected: [], unknownFields: [] };
  for (let i = 0; i < body.length; i++) {
    // In the same loop, one pass over the item's keys: a field no event has refuses the request
    // (nothing of it is stored), but every item is still validated, so the refusal names all of its problems.
    if (unknownEventField(body[i]) !== null) out.unknownFields.push(...unknownEventFields(body[i] as object, i));
    const r = validateEventInput(body[i], timezone);
    if (r.ok) {
      out.index.push(i);
      out.customerExternalId.push(r.value.customerExternalId);
      out.type.push(r.value.type);
      out.occurredAt.push(r.value.occurredAt);
      out.idempotencyKey.push(r.value.idempotencyKey);
      out.propertiesJson.push(r.propertiesJson);
    } else for (const issue of r.issues) out.rejected.push({ index: i, ...issue });
  }
  return out;
}
