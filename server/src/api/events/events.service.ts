import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Clock } from '../../core/clock.js';
import { notifyListeners, type CustomerEventListener, type StoredCustomerEvent } from '../../core/data/event-listener.js';
import type { EventBatchColumns } from '../../core/data/event-batch.js';
import { unknownEventField, unknownEventFields, type UnknownEventField } from '../../core/data/event-fields.js';
import { validateEventInput } from '../../core/data/import/row-mapper.js';
import { futureOccurredAtIssue } from '../../core/data/event-time-window.js';
import type { UnknownEventType } from '../../core/data/event-type-check.js';
import { eventTypeCheckOf } from '../../runtime/declared-events.js';
import { RekindleMetrics } from '../metrics/rekindle-metrics.js';
import { DEFAULT_CLIENT, type NewCustomerEvent } from '../../persistence/event-log.js';
import { GroupCommit } from '../../persistence/group-commit.js';
import { erasedRowMessage, liveCustomerIdsByExternalId, recordEvents } from '../../persistence/shop-repository.js';
import { pressWriteLock, statementTransaction } from '../../persistence/write-transaction.js';
import { CLOCK, WORKSPACE } from '../tokens.js';
import type { Workspace } from '../../config/workspace.js';
import { CUSTOMER_EVENT_LISTENERS } from './event-listeners.token.js';

export const MAX_EVENTS_PER_REQUEST = 10_000;

/**
 * A group commit of this many events or more is heavy: while such groups are written back to back
 * (batches from a feed), the engine thread holds back its turns of the write lock (bounded), as
 * the inbox keeps the events for it (persistence/group-commit.ts, runtime/shared-write-lock.ts).
 */
export const HEAVY_GROUP_EVENTS = 1000;

export interface EventRejection {
  index: number;
  field: string;
  message: string;
}

export interface EventIngestResult {
  accepted: number;
  duplicates: number;
  rejected: EventRejection[];
  /**
   * Types of the request's events (stored, or duplicates of stored ones) that neither the system records nor rules/shop.yaml declares
   * (core/data/event-type-check.ts): stored, but reported so a typo does not pass unseen.
   * Absent when there are none.
   */
  unknownTypes?: UnknownEventType[];
}

export interface EventConflict {
  index: number;
  idempotencyKey: string;
}

/** What one request's events came to: the result, the keys that name different events, or its admission refused. */
export type IngestOutcome =
  | { ok: true; result: EventIngestResult; replayed: boolean }
  | { ok: false; conflicts: EventConflict[] }
  | { ok: false; refused: Error }
  /**
   * Fields no event has (a typo such as `propertes`): nothing of the request stored (event-request.ts
   * answers 400 naming them, and `rejected`: the other problems of its items, named in the same answer).
   */
  | { ok: false; unknownFields: UnknownEventField[]; rejected: EventRejection[] };

/**
 * A check run inside the transaction that would store the request's events, before them (the
 * events fast path checks its API token there): a refusal stores nothing of the request and is
 * its outcome. `read` runs a query in that transaction.
 */
export type Admission = (read: (sql: string, params: unknown[]) => Promise<Record<string, unknown>[]>) => Promise<Error | null>;

/** A valid event of a request: its position in the request and its values, its properties' JSON text as stored. */
interface ValidEvent {
  index: number;
  customerExternalId: string;
  type: string;
  occurredAt: number;
  idempotencyKey: string;
  /** Absent when the request was parsed in the parser thread (the text crossed, not the object). */
  properties?: Record<string, unknown>;
  propertiesJson: string;
}

interface Pending {
  clientId: string;
  valid: ValidEvent[];
  rejected: EventRejection[];
  /** Non-empty: the request is refused whole, after its admission (a refused token still answers 401/403). */
  unknownFields: UnknownEventField[];
  admit?: Admission;
}

/**
 * Records customer events for API clients. A request validates, is committed with whatever
 * other requests arrived meanwhile (group commit), and answers: the journey engine acts on the
 * events behind it, from the durable inbox they were queued in by the same transaction.
 * Idempotency keys live in the client's namespace (never the system's `order:…` keys); a key
 * already used for a different event refuses the request (the controller answers 409).
 */
@Injectable()
export class EventsService {
  private readonly logger = new Logger('Events');
  private readonly commits: GroupCommit<Pending, { outcome: IngestOutcome; inserted: StoredCustomerEvent[] }>;
  /** Unknown types already logged: each is logged once per process, however often it comes. */
  private readonly loggedTypes = new Set<string>();

  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CUSTOMER_EVENT_LISTENERS) private readonly listeners: CustomerEventListener[],
    @Inject(WORKSPACE) private readonly workspace: Workspace,
    @Optional() @Inject(RekindleMetrics) private readonly metrics?: RekindleMetrics,
  ) {
    this.commits = new GroupCommit((group) => this.write(group), 500, {
      weigh: (p) => p.valid.length,
      heavyWeight: HEAVY_GROUP_EVENTS,
      pressing: (on) => pressWriteLock(this.ds, on),
    });
  }

  /**
   * Each item is validated on its own: good events are stored even if others in the batch are
   * rejected. An occurredAt without an offset is the shop's wall clock (its configured zone).
   */
  async ingest(items: readonly unknown[], clientId = DEFAULT_CLIENT, admit?: Admission): Promise<IngestOutcome> {
    const rejected: EventRejection[] = [];
    const valid: ValidEvent[] = [];
    const unknownFields: UnknownEventField[] = [];
    const timezone = this.timezone;
    items.forEach((item, index) => {
      // As the parser thread does (event-batch.ts): a field no event has refuses the request whole,
      // and the other items are validated still, so that the refusal names every problem at once.
      if (unknownEventField(item) !== null) unknownFields.push(...unknownEventFields(item as object, index));
      const r = validateEventInput(item, timezone);
      if (r.ok) valid.push({ index, ...r.value, propertiesJson: r.propertiesJson });
      else rejected.push(...r.issues.map((i) => ({ index, ...i })));
    });
    return this.submit({ clientId, valid, rejected, unknownFields, admit });
  }

  /**
   * ingest of a list already parsed and validated the same way, as columns (core/data/event-batch.ts,
   * from the events API's parser thread): the same transaction, answers and conflicts.
   */
  async ingestColumns(c: EventBatchColumns, clientId = DEFAULT_CLIENT, admit?: Admission): Promise<IngestOutcome> {
    const valid: ValidEvent[] = new Array(c.index.length);
    for (let i = 0; i < valid.length; i++)
      valid[i] = { index: c.index[i], customerExternalId: c.customerExternalId[i], type: c.type[i], occurredAt: c.occurredAt[i], idempotencyKey: c.idempotencyKey[i], properties: undefined, propertiesJson: c.propertiesJson[i] };
    return this.submit({ clientId, valid, rejected: c.rejected, unknownFields: c.unknownFields ?? [], admit });
  }

  /** The shop's time zone: an occurredAt without an offset is its wall clock. */
  get timezone(): string {
    return this.workspace.shop.timezone;
  }

  private async submit(p: Pending): Promise<IngestOutcome> {
    const { outcome, inserted } = await this.commits.submit(withoutFutureEvents(p, this.clock.now()));
    await this.notify(inserted);
    return outcome;
  }

  /** One transaction for a group of requests; each request is all-or-nothing about key conflicts. */
  private async write(group: Pending[]): Promise<{ outcome: IngestOutcome; inserted: StoredCustomerEvent[] }[]> {
    const now = this.clock.now();
    const types = eventTypeCheckOf(this.workspace.rulesDir);
    // Statements only (no entities): on SQLite they run synchronously, holding the write lock only as long as the SQL takes.
    return statementTransaction(this.ds, async (m) => {
      const { ids, erased } = await liveCustomerIdsByExternalId(m, group.flatMap((p) => p.valid.map((v) => v.customerExternalId)));
      const out: { outcome: IngestOutcome; inserted: StoredCustomerEvent[] }[] = [];
      for (const p of group) {
        const refused = p.admit ? await p.admit((sql, params) => m.query(sql, params)) : null;
        if (refused) {
          out.push({ outcome: { ok: false, refused }, inserted: [] });
          continue;
        }
        const rejected = [...p.rejected];
        const known: NewCustomerEvent[] = [];
        const indexOf: number[] = [];
        for (const v of p.valid) {
          const customerId = ids.get(v.customerExternalId);
          const erasedAt = customerId === undefined ? erased.get(v.customerExternalId) : undefined;
          if (erasedAt !== undefined) rejected.push({ index: v.index, field: 'customerExternalId', message: erasedRowMessage(v.customerExternalId, erasedAt) });
          else if (customerId === undefined) rejected.push({ index: v.index, field: 'customerExternalId', message: `unknown customer "${v.customerExternalId}"` });
          else {
            known.push({ customerId, type: v.type, properties: v.properties, propertiesJson: v.propertiesJson, occurredAt: v.occurredAt, idempotencyKey: v.idempotencyKey, clientId: p.clientId });
            indexOf.push(v.index);
          }
        }
        if (p.unknownFields.length) {
          // Refused whole, stored nothing; the unknown customers too are said in the refusal.
          out.push({ outcome: { ok: false, unknownFields: p.unknownFields, rejected: rejected.sort((a, b) => a.index - b.index) }, inserted: [] });
          continue;
        }
        const r = await recordEvents(m, known, now, { allOrNothing: true });
        if (r.conflicts.length) {
          out.push({ outcome: { ok: false, conflicts: r.conflicts.map((c) => ({ index: indexOf[c.index], idempotencyKey: c.idempotencyKey })) }, inserted: [] });
          continue;
        }
        rejected.sort((a, b) => a.index - b.index);
        const replayed = known.length > 0 && r.inserted.length === 0;
        const unknownTypes = types.unknownOf(known.map((e) => e.type), indexOf);
        if (unknownTypes.length) this.noteUnknown(unknownTypes);
        const result: EventIngestResult = unknownTypes.length ? { accepted: r.inserted.length, duplicates: r.duplicates, rejected, unknownTypes } : { accepted: r.inserted.length, duplicates: r.duplicates, rejected };
        out.push({ outcome: { ok: true, result, replayed }, inserted: r.inserted });
      }
      return out;
    });
  }

  /** Counts the events of undeclared types (metrics) and logs each new type once, for the operator. */
  private noteUnknown(unknown: UnknownEventType[]): void {
    for (const u of unknown) {
      this.metrics?.undeclaredEvents(u.count);
      if (this.loggedTypes.has(u.type) || this.loggedTypes.size >= 1000) continue;
      this.loggedTypes.add(u.type);
      this.logger.warn(`events of type "${u.type}" arrived, a type neither the system records nor rules/shop.yaml declares${u.didYouMean ? ` (did the sender mean "${u.didYouMean}"?)` : ''}: declare it under events: if the shop means it`);
    }
  }

  /** Called after the events' transaction committed: a nudge (the inbox already holds them); failures are logged, not thrown. */
  async notify(events: StoredCustomerEvent[]): Promise<void> {
    for (const e of await notifyListeners(this.listeners, events)) this.logger.error(`a customer event listener failed: ${e.message}`);
  }

  get registeredListeners(): readonly CustomerEventListener[] {
    return this.listeners;
  }
}

/**
 * The request without its events stamped more than a day ahead of the server clock, each rejected
 * at its index (core/data/event-time-window.ts). Checked here, not with the event's shape, so that
 * both ways of parsing (this thread, the parser thread) use the one clock the server is given.
 */
function withoutFutureEvents(p: Pending, now: number): Pending {
  let rejected: EventRejection[] | null = null;
  for (const v of p.valid) {
    const issue = futureOccurredAtIssue(v.occurredAt, now);
    if (issue) (rejected ??= [...p.rejected]).push({ index: v.index, field: 'occurredAt', message: issue });
  }
  if (!rejected) return p;
  const late = new Set(rejected.slice(p.rejected.length).map((r) => r.index));
  return { ...p, valid: p.valid.filter((v) => !late.has(v.index)), rejected };
}
