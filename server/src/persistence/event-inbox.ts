import type { DataSource, QueryRunner } from 'typeorm';
import { flowIntake, pausedSkips, type EventInbox, type FlowIntake, type InboxEvent } from '../core/engine/event-intake.js';
import type { EventPlan } from '../core/engine/journey-engine.js';
import { enrollOps, wakeOps } from './journey-store.js';
import { cachedStatement, failWithinBatch, insertWrittenOps, pgUnnestInsert, placeholders, queryRows, toPgPlaceholders, type SqlOp } from './sql-batch.js';
import type { SqlReader } from './segment-store.js';
import { isSqlite, sqliteWriteBatch } from './write-transaction.js';

/** The consumer row of the journey engine in `event_consumers`. */
export const JOURNEY_CONSUMER = 'journeys';

const PENDING_SQL = `SELECT i.event_id, i.received_at, e.customer_id, e.type, e.properties, e.occurred_at
  FROM event_inbox i JOIN customer_events e ON e.id = i.event_id ORDER BY i.event_id LIMIT ?`;

function toInboxEvent(r: Record<string, unknown>): InboxEvent {
  return {
    id: Number(r.event_id),
    customerId: Number(r.customer_id),
    type: String(r.type),
    properties: typeof r.properties === 'string' ? JSON.parse(r.properties) : ((r.properties as Record<string, unknown>) ?? {}),
    occurredAt: Number(r.occurred_at),
    receivedAt: Number(r.received_at),
  };
}

const CONSUMED_COLUMNS = ['event_id', 'consumed_at'];

/**
 * The batch's `consumed_events` rows (each event's id, `now`) as multi-row inserts: on SQLite
 * 50-row VALUES statements with `now` bound once a statement (insertWrittenOps), on PostgreSQL one
 * `unnest` insert of two arrays, like the other batch writes of each dialect.
 */
function consumedOps(events: InboxEvent[], now: number, sqlite: boolean): SqlOp[] {
  const table = 'consumed_events';
  if (sqlite)
    return insertWrittenOps({ table, columns: CONSUMED_COLUMNS }, events.length, (params, at, i) => {
      params[at] = events[i].id;
      params[at + 1] = now;
    });
  return pgUnnestInsert({ table, columns: CONSUMED_COLUMNS, rows: events.map((e) => [e.id, now]) }, ['int', 'bigint']);
}

/** Thrown inside the transaction when another process consumed the same events first (SQLite). */
class ConsumedElsewhere extends Error {}

/**
 * The durable inbox on SQLite and PostgreSQL (see core/engine/event-intake.ts).
 * PostgreSQL: the transaction starts by locking the consumer row `FOR UPDATE SKIP LOCKED`; a
 * second server finds it locked and backs off, so one process consumes at a time.
 * SQLite (one writer): the plan's writes run in one synchronous transaction that also deletes
 * the inbox rows and checks it deleted every one of them; had another process consumed them
 * meanwhile, the transaction rolls back and nothing is written twice.
 */
export class SqlEventInbox implements EventInbox {
  constructor(private readonly ds: DataSource) {}

  async consume(limit: number, plan: (events: InboxEvent[]) => Promise<EventPlan>) {
    return isSqlite(this.ds) ? this.consumeSqlite(limit, plan) : this.consumePostgres(limit, plan);
  }

  private async consumeSqlite(limit: number, plan: (events: InboxEvent[]) => Promise<EventPlan>) {
    const events = (await queryRows(this.ds, PENDING_SQL, [limit])).map(toInboxEvent);
    if (events.length === 0) return { events: 0, enrolled: 0, flows: [] };
    const p = await plan(events);
    const { ops, enrollRanges, deleteIndex, flows } = this.commitOps(p, events);
    try {
      const changes = await sqliteWriteBatch(this.ds, (db) =>
        ops.map((op, i) => {
          const changed = cachedStatement(db, op.sql, failWithinBatch).run(...op.params).changes;
          if (i === deleteIndex && changed !== events.length) throw new ConsumedElsewhere();
          return changed;
        }),
      );
      return { events: events.length, enrolled: enrolledOf(changes, enrollRanges), flows };
    } catch (e) {
      if (e instanceof ConsumedElsewhere) return null;
      throw e;
    }
  }

  private async consumePostgres(limit: number, plan: (events: InboxEvent[]) => Promise<EventPlan>) {
    const q: QueryRunner = this.ds.createQueryRunner();
    await q.connect();
    try {
      await q.startTransaction();
      const locked = await q.query(`SELECT name FROM event_consumers WHERE name = $1 FOR UPDATE SKIP LOCKED`, [JOURNEY_CONSUMER]);
      if (locked.length === 0) {
        await q.rollbackTransaction();
        return null;
      }
      const events = ((await q.query(toPgPlaceholders(PENDING_SQL), [limit])) as Record<string, unknown>[]).map(toInboxEvent);
      if (events.length === 0) {
        await q.rollbackTransaction();
        return { events: 0, enrolled: 0, flows: [] };
      }
      // The plan reads through the pool (other connections): they see everything committed, and
      // nobody else can consume or enroll from events while this transaction holds the lock.
      const p = await plan(events);
      const { ops, enrollRanges, deleteIndex, flows } = this.commitOps(p, events);
      const changes: number[] = [];
      for (const op of ops) {
        const r = (await q.query(toPgPlaceholders(op.sql), op.params, true)) as { affected?: number };
        changes.push(r.affected ?? 0);
        if (changes.length - 1 === deleteIndex && changes[deleteIndex] !== events.length) throw new Error(`event inbox: expected to consume ${events.length} events, found ${changes[deleteIndex]} (consumed elsewhere?)`);
      }
      await q.commitTransaction();
      return { events: events.length, enrolled: enrolledOf(changes, enrollRanges), flows };
    } catch (e) {
      if (q.isTransactionActive) await q.rollbackTransaction();
      throw e;
    } finally {
      await q.release();
    }
  }

  /** Every write of the batch, in order: enrollments + entry logs, labels, wake-ups, when each event was acted on, inbox delete, figures. */
  private commitOps(p: EventPlan, events: InboxEvent[]): { ops: SqlOp[]; enrollRanges: [number, number][]; deleteIndex: number; flows: FlowIntake[] } {
    const ops: SqlOp[] = [];
    const enrollRanges: [number, number][] = [];
    for (const e of p.enrollments) {
      const { inserts, logs } = enrollOps(e.entries, p.now, e.log);
      if (inserts.length) enrollRanges.push([ops.length, ops.length + inserts.length]); // [first insert, first op after the inserts)
      ops.push(...inserts, ...logs);
      ops.push(...labelOps(e.version.flowId, e.labels));
    }
    ops.push(...wakeOps(p.wake, p.now, isSqlite(this.ds) ? 'sqlite' : 'postgres'));
    const deleteIndex = ops.length;
    ops.push({ sql: `DELETE FROM event_inbox WHERE event_id IN (${placeholders(events.length)})`, params: events.map((e) => e.id) });
    // When the engine acted on each event: explain judges a missed entry by this moment (consumed_events).
    // Written from the ids the batch holds, not read back from the inbox; after the delete, whose
    // count is checked as it runs, so an event consumed elsewhere meanwhile stops the batch before
    // this insert could meet its row (see consumeSqlite).
    ops.push(...consumedOps(events, p.now, isSqlite(this.ds)));
    const flows = flowIntake(p, events);
    const maxLag = events.reduce((m, e) => Math.max(m, p.now - e.receivedAt), 0);
    ops.push({
      sql: `UPDATE event_consumers SET consumed = consumed + ?, batches = batches + 1, last_event_id = ?, last_lag_ms = ?, updated_at = ? WHERE name = ?`,
      params: [events.length, events[events.length - 1].id, maxLag, p.now, JOURNEY_CONSUMER],
    });
    // The windowed lag (the view's "longest in the last minutes"): this minute's bucket, per flow
    // and for the whole intake (''), and the buckets older than LAG_KEPT_MS dropped.
    const minute = Math.floor(p.now / MINUTE_MS) * MINUTE_MS;
    const bucket = `INSERT INTO event_intake_lag_minutes (minute, flow_id, max_lag_ms, events) VALUES (?, ?, ?, ?)
      ON CONFLICT (minute, flow_id) DO UPDATE SET events = event_intake_lag_minutes.events + excluded.events,
        max_lag_ms = CASE WHEN excluded.max_lag_ms > event_intake_lag_minutes.max_lag_ms THEN excluded.max_lag_ms ELSE event_intake_lag_minutes.max_lag_ms END`;
    ops.push({ sql: bucket, params: [minute, '', maxLag, events.length] });
    for (const f of flows) ops.push({ sql: bucket, params: [minute, f.flowId, f.lagMs, f.actedOn] });
    ops.push({ sql: 'DELETE FROM event_intake_lag_minutes WHERE minute < ?', params: [minute - LAG_KEPT_MS] });
    for (const f of flows) {
      const enrolledEntries = p.enrollments.find((e) => e.version.flowId === f.flowId)?.entries.length ?? 0;
      ops.push({
        sql: `INSERT INTO event_intake_flows (flow_id, matched, enrolled, last_event_id, last_received_at, last_consumed_at, last_lag_ms, max_lag_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
              ON CONFLICT (flow_id) DO UPDATE SET matched = event_intake_flows.matched + excluded.matched, enrolled = event_intake_flows.enrolled + excluded.enrolled,
                last_event_id = excluded.last_event_id, last_received_at = excluded.last_received_at, last_consumed_at = excluded.last_consumed_at, last_lag_ms = excluded.last_lag_ms,
                max_lag_ms = CASE WHEN event_intake_flows.max_lag_ms IS NULL OR excluded.max_lag_ms > event_intake_flows.max_lag_ms THEN excluded.max_lag_ms ELSE event_intake_flows.max_lag_ms END`,
        params: [f.flowId, f.matched, enrolledEntries, f.lastEventId, f.lastReceivedAt, p.now, f.lagMs, f.lagMs],
      });
    }
    // A paused flow's trigger events, consumed without a journey: counted per flow (the intake view,
    // `flows list`), in the same transaction as their consumption, so none is counted twice or lost.
    for (const s of pausedSkips(p, events)) {
      ops.push({
        sql: `INSERT INTO event_intake_flows (flow_id, matched, enrolled, skipped_paused, last_skipped_at) VALUES (?, 0, 0, ?, ?)
              ON CONFLICT (flow_id) DO UPDATE SET skipped_paused = event_intake_flows.skipped_paused + excluded.skipped_paused, last_skipped_at = excluded.last_skipped_at`,
        params: [s.flowId, s.events, s.lastReceivedAt],
      });
    }
    return { ops, enrollRanges, deleteIndex, flows };
  }
}

function enrolledOf(changes: number[], ranges: [number, number][]): number {
  let n = 0;
  for (const [from, log] of ranges) for (let i = from; i < log; i++) n += changes[i];
  return n;
}

/** Group labels of a limited entry (same statement as the policy store's `label`). */
function labelOps(flowId: string, labels: { entryKey: string; label: string }[]): SqlOp[] {
  const byLabel = new Map<string, string[]>();
  for (const e of labels) byLabel.set(e.label, [...(byLabel.get(e.label) ?? []), e.entryKey]);
  const ops: SqlOp[] = [];
  for (const [label, keys] of byLabel) {
    for (let i = 0; i < keys.length; i += 500) {
      const chunk = keys.slice(i, i + 500);
      ops.push({ sql: `UPDATE enrollments SET group_label = ? WHERE flow_id = ? AND entry_key IN (${placeholders(chunk.length)})`, params: [label, flowId, ...chunk] });
    }
  }
  return ops;
}

const MINUTE_MS = 60_000;
/** How long the per-minute lag buckets are kept (the window read is shorter). */
const LAG_KEPT_MS = 60 * MINUTE_MS;
/** The intake view's window for "longest lag": long enough to see a burst, short enough to see it recover. */
export const LAG_WINDOW_MINUTES = 15;

/** The longest lag within the window, per flow ('' the whole intake). */
export interface RecentLag {
  maxLagMs: number;
  events: number;
}

/** The intake status: pending events and per-flow figures (for `GET /api/health` and the designer). */
export interface IntakeStatus {
  pending: number;
  oldestPendingAt: number | null;
  consumed: number;
  lastLagMs: number | null;
  flows: { flowId: string; matched: number; enrolled: number; lastLagMs: number | null; maxLagMs: number | null; lastConsumedAt: number | null; skippedWhilePaused: number; lastSkippedAt: number | null }[];
  /** The window's first minute (ms): the lag buckets from it on are in `recent`. */
  windowSince: number;
  /** Per flow id ('' for the whole intake) that acted on events within the window. */
  recent: Map<string, RecentLag>;
}

export async function intakeStatus(ds: DataSource, reader: SqlReader | null = null, now = Date.now()): Promise<IntakeStatus> {
  // Counting a long backlog reads all of it: in the SQL reader thread when there is one.
  const rows = (sql: string, params: unknown[] = []) => (reader?.available && isSqlite(ds) ? (reader.all(sql, params) as Promise<Record<string, unknown>[]>) : queryRows(ds, sql, params));
  const [p] = await rows('SELECT COUNT(*) AS n, MIN(received_at) AS oldest FROM event_inbox');
  const [c] = await rows('SELECT consumed, last_lag_ms FROM event_consumers WHERE name = ?', [JOURNEY_CONSUMER]);
  const flows = await rows('SELECT flow_id, matched, enrolled, last_lag_ms, max_lag_ms, last_consumed_at, skipped_paused, last_skipped_at FROM event_intake_flows ORDER BY flow_id');
  // The current minute and the LAG_WINDOW_MINUTES - 1 before it.
  const windowSince = (Math.floor(now / MINUTE_MS) - (LAG_WINDOW_MINUTES - 1)) * MINUTE_MS;
  const buckets = await rows('SELECT flow_id, MAX(max_lag_ms) AS lag, SUM(events) AS n FROM event_intake_lag_minutes WHERE minute >= ? GROUP BY flow_id', [windowSince]);
  const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    pending: Number(p?.n ?? 0),
    oldestPendingAt: n(p?.oldest),
    consumed: Number(c?.consumed ?? 0),
    lastLagMs: n(c?.last_lag_ms),
    flows: flows.map((f) => ({ flowId: String(f.flow_id), matched: Number(f.matched), enrolled: Number(f.enrolled), lastLagMs: n(f.last_lag_ms), maxLagMs: n(f.max_lag_ms), lastConsumedAt: n(f.last_consumed_at), skippedWhilePaused: Number(f.skipped_paused ?? 0), lastSkippedAt: n(f.last_skipped_at) })),
    windowSince,
    recent: new Map(buckets.map((b) => [String(b.flow_id), { maxLagMs: Number(b.lag), events: Number(b.n) }])),
  };
}

/** Pending inbox events per event type (the intake view's per-flow backlog), off-thread when a reader is given. */
export async function pendingByType(ds: DataSource, reader: SqlReader | null = null): Promise<Record<string, unknown>[]> {
  const sql = 'SELECT e.type, COUNT(*) AS n, MIN(i.received_at) AS oldest FROM event_inbox i JOIN customer_events e ON e.id = i.event_id GROUP BY e.type';
  return reader?.available && isSqlite(ds) ? ((await reader.all(sql, [])) as Record<string, unknown>[]) : queryRows(ds, sql);
}
