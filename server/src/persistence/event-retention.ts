import type { DataSource } from 'typeorm';
import type { RetentionPlan } from '../core/data/event-retention.js';
import { executeBatch, placeholders, queryRows } from './sql-batch.js';

/** Rows counted or deleted by a prune, per table. */
export interface PruneCounts {
  events: number;
  consumedEvents: number;
}

export interface PruneOptions {
  /** Count only: nothing is deleted. */
  dryRun: boolean;
  /** Ids looked at per statement (each batch is its own short transaction). */
  batch: number;
  /** Between batches (e.g. to yield to other writers); also told each batch's counts. */
  afterBatch?: (counts: PruneCounts) => Promise<void> | void;
}

/**
 * Which `customer_events` rows may go, written on the table's own name so the same text serves
 * SELECT COUNT and DELETE on both dialects. An event stays when any reader still needs it:
 * - it is newer than the cut-off by when it arrived (its idempotency key must still catch a
 *   retried delivery) or by when it happened (the policy's and the flows' windows look back from now);
 * - it still waits in `event_inbox` (the engine has not acted on it);
 * - it is an opt-out (the policy reads every one back, however old);
 * - its customer is in a running journey entered at or before it (exit events, awaited answers
 *   and the give-up of that journey read the customer's events since entry);
 * - it is a response an experiment report counts (its types, for a customer assigned at or before it).
 */
function prunable(plan: RetentionPlan): { sql: string; params: unknown[] } {
  const t = 'customer_events';
  const parts = [
    `${t}.received_at < ?`,
    `${t}.occurred_at < ?`,
    `${t}.type NOT IN (${placeholders(plan.keepTypes.length)})`,
    `NOT EXISTS (SELECT 1 FROM event_inbox i WHERE i.event_id = ${t}.id)`,
    `NOT EXISTS (SELECT 1 FROM enrollments en WHERE en.customer_id = ${t}.customer_id AND en.status = 'active' AND en.entered_at <= ${t}.occurred_at)`,
  ];
  const params: unknown[] = [plan.eventsBefore, plan.eventsBefore, ...plan.keepTypes];
  for (const x of plan.experiments) {
    parts.push(
      `NOT (${t}.type IN (${placeholders(x.types.length)}) AND EXISTS (SELECT 1 FROM split_assignments sa WHERE sa.flow_id = ? AND sa.node_id = ? AND sa.customer_id = ${t}.customer_id AND sa.assigned_at <= ${t}.occurred_at))`,
    );
    params.push(...x.types, x.flowId, x.nodeId);
  }
  return { sql: parts.join(' AND '), params };
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/**
 * The last id of the next `rows` rows after `from` (or `hi`, the highest id when the walk began):
 * a range holds `rows` rows however sparse the ids are, so the rows a prune keeps at the front
 * of the table (opt-outs, responses of experiments) cost one range per `rows` of them, not one per
 * `rows` ids they are spread over.
 */
async function rangeEnd(ds: DataSource, table: string, id: string, from: number, rows: number, hi: number): Promise<number> {
  const [r] = await queryRows(ds, `SELECT ${id} AS id FROM ${table} WHERE ${id} > ? ORDER BY ${id} LIMIT 1 OFFSET ?`, [from, rows - 1]);
  return r ? Math.min(Number(r.id), hi) : hi;
}

/**
 * Deletes (or with dryRun counts) what the plan lets go, oldest ids first, in ranges of `batch`
 * rows: each range is one short transaction (on SQLite the writer is held for one range's
 * delete only, and other writers take their turns between ranges). Ids grow with arrival, so the
 * walk stops at the first range that holds nothing that arrived before the cut-off.
 * An event's `consumed_events` row goes in the same transaction as the event.
 */
export async function pruneEvents(ds: DataSource, plan: RetentionPlan, opts: PruneOptions): Promise<PruneCounts> {
  const total: PruneCounts = { events: 0, consumedEvents: 0 };
  const step = Math.max(1, Math.floor(opts.batch));
  if (plan.eventsBefore !== null) {
    const p = prunable(plan);
    const [r] = await queryRows(ds, 'SELECT MIN(id) AS lo, MAX(id) AS hi FROM customer_events');
    const lo = num(r?.lo);
    const hi = num(r?.hi);
    for (let from = (lo ?? 1) - 1, to = 0; lo !== null && hi !== null && from < hi; from = to) {
      to = await rangeEnd(ds, 'customer_events', 'id', from, step, hi);
      const range = [from, to];
      const [w] = await queryRows(ds, 'SELECT MIN(received_at) AS first FROM customer_events WHERE id > ? AND id <= ?', range);
      const first = num(w?.first);
      if (first !== null && first >= plan.eventsBefore) break;
      if (first === null) continue; // its rows were deleted meanwhile (a prune by hand beside this one)
      const inRange = `customer_events.id > ? AND customer_events.id <= ? AND ${p.sql}`;
      const params = [...range, ...p.params];
      const counts: PruneCounts = { events: 0, consumedEvents: 0 };
      if (opts.dryRun) {
        counts.events = Number((await queryRows(ds, `SELECT COUNT(*) AS n FROM customer_events WHERE ${inRange}`, params))[0].n);
        counts.consumedEvents = Number((await queryRows(ds, `SELECT COUNT(*) AS n FROM consumed_events WHERE event_id IN (SELECT customer_events.id FROM customer_events WHERE ${inRange})`, params))[0].n);
      } else {
        const [consumed, events] = await executeBatch(ds, [
          { sql: `DELETE FROM consumed_events WHERE event_id IN (SELECT customer_events.id FROM customer_events WHERE ${inRange})`, params },
          { sql: `DELETE FROM customer_events WHERE ${inRange}`, params },
        ]);
        counts.events = events;
        counts.consumedEvents = consumed;
      }
      total.events += counts.events;
      total.consumedEvents += counts.consumedEvents;
      await opts.afterBatch?.(counts);
    }
  }
  if (plan.consumedBefore !== null) {
    // Rows of events that stay: when the engine acted on them (explain's missed entries) is
    // forgotten after their own retention; explain then judges them by their arrival.
    const [r] = await queryRows(ds, 'SELECT MIN(event_id) AS lo, MAX(event_id) AS hi FROM consumed_events');
    const lo = num(r?.lo);
    const hi = num(r?.hi);
    // A dry run has deleted no event above: their rows, counted there, are not counted twice.
    const notCounted = opts.dryRun && plan.eventsBefore !== null ? (() => {
      const p = prunable(plan);
      return { sql: ` AND NOT EXISTS (SELECT 1 FROM customer_events WHERE customer_events.id = consumed_events.event_id AND ${p.sql})`, params: p.params };
    })() : { sql: '', params: [] as unknown[] };
    for (let from = (lo ?? 1) - 1, to = 0; lo !== null && hi !== null && from < hi; from = to) {
      to = await rangeEnd(ds, 'consumed_events', 'event_id', from, step, hi);
      const range = [from, to];
      const [w] = await queryRows(ds, 'SELECT MIN(consumed_at) AS first FROM consumed_events WHERE event_id > ? AND event_id <= ?', range);
      const first = num(w?.first);
      if (first !== null && first >= plan.consumedBefore) break;
      if (first === null) continue;
      const where = `event_id > ? AND event_id <= ? AND consumed_at < ?${notCounted.sql}`;
      const params = [...range, plan.consumedBefore, ...notCounted.params];
      const n = opts.dryRun
        ? Number((await queryRows(ds, `SELECT COUNT(*) AS n FROM consumed_events WHERE ${where}`, params))[0].n)
        : (await executeBatch(ds, [{ sql: `DELETE FROM consumed_events WHERE ${where}`, params }]))[0];
      total.consumedEvents += n;
      await opts.afterBatch?.({ events: 0, consumedEvents: n });
    }
  }
  return total;
}
