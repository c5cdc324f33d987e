import { BadRequestException, ConflictException } from '@nestjs/common';
import type { Principal } from '../../core/access/roles.js';
import type { EventBatchColumns } from '../../core/data/event-batch.js';
import { issuesBesideUnknownFields, MAX_NAMED_UNKNOWN_FIELDS, refusedRequestMessages, type UnknownEventField } from '../../core/data/event-fields.js';
import { DEFAULT_CLIENT } from '../../persistence/event-log.js';
import { MAX_EVENTS_PER_REQUEST, type Admission, type EventConflict, type EventIngestResult, type EventRejection, type EventsService, type IngestOutcome } from './events.service.js';

/**
 * What `POST /api/events` does with a parsed body, shared by the controller and the token fast
 * path (events-fast-path.ts) so both answer alike: the result to send (and whether it is a
 * replay, answered with `Idempotent-Replayed: true`), or an HttpException (400, 409).
 */

/**
 * The namespace of the caller's idempotency keys: the API token's name (`token:<name>`, so a feed
 * keeps its namespace when its token is rotated under the same name), else the shop's single
 * default client (people signed in to the designer). Never '' (the system's own namespace).
 */
export function clientIdOf(req: { principal?: Principal }): string {
  return req.principal?.kind === 'token' ? req.principal.name.slice(0, 64) : DEFAULT_CLIENT;
}

function conflict(conflicts: EventConflict[]): ConflictException {
  const keys = conflicts.map((c) => `"${c.idempotencyKey}"`).join(', ');
  return new ConflictException({
    statusCode: 409,
    error: 'Conflict',
    message: `idempotencyKey ${keys} was already used for a different event (customer, type, occurredAt or properties differ); nothing of this request was stored. Send a new key for a new event.`,
    conflicts,
  });
}

/**
 * A request with fields no event has: 400 naming each (`events[3].propertes: unknown field; did you
 * mean properties?`) and every other problem of its items (also in `rejected`, as a 200 lists
 * them), so one answer says all a client has to fix; nothing was stored.
 */
function unknownFields(unknown: UnknownEventField[], issues: EventRejection[], single: boolean): BadRequestException {
  const rejected = issuesBesideUnknownFields(unknown, issues);
  return new BadRequestException({ statusCode: 400, error: 'Bad Request', message: refusedRequestMessages(unknown, rejected, single), accepted: 0, duplicates: 0, rejected, unknownFields: unknown.slice(0, MAX_NAMED_UNKNOWN_FIELDS) });
}

/** The HttpException of a request refused whole. */
function refusal(outcome: Exclude<IngestOutcome, { ok: true }>, single: boolean): Error {
  if ('refused' in outcome) return outcome.refused;
  if ('unknownFields' in outcome) return unknownFields(outcome.unknownFields, outcome.rejected, single);
  return conflict(outcome.conflicts);
}

export async function answerEvents(events: EventsService, body: unknown, clientId: string, admit?: Admission): Promise<{ result: EventIngestResult; replayed: boolean }> {
  if (body === null || typeof body !== 'object') throw new BadRequestException('body: expected one event object or an array of events (application/json)');
  if (Array.isArray(body) && body.length > MAX_EVENTS_PER_REQUEST) throw new BadRequestException(`body: at most ${MAX_EVENTS_PER_REQUEST} events per request, got ${body.length}`);
  const single = !Array.isArray(body);
  const outcome: IngestOutcome = await events.ingest(single ? [body] : body, clientId, admit);
  if (!outcome.ok) throw refusal(outcome, single);
  const r = outcome.result;
  if (single) {
    if (r.rejected.length) throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: r.rejected.map((x) => `${x.field}: ${x.message}`), ...r });
    // The same event again: the answer the first delivery got.
    if (outcome.replayed) return { result: r.unknownTypes ? { accepted: 1, duplicates: 0, rejected: [], unknownTypes: r.unknownTypes } : { accepted: 1, duplicates: 0, rejected: [] }, replayed: true };
  }
  return { result: r, replayed: false };
}

/** answerEvents of a list parsed and validated in the parser thread (runtime/event-batch-parser.ts): the same answers as for that list. */
export async function answerEventColumns(events: EventsService, columns: EventBatchColumns, clientId: string, admit?: Admission): Promise<{ result: EventIngestResult; replayed: boolean }> {
  const outcome = await events.ingestColumns(columns, clientId, admit);
  if (!outcome.ok) throw refusal(outcome, false);
  return { result: outcome.result, replayed: false };
}
