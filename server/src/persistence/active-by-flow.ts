import type { DataSource } from 'typeorm';
import { queryRows } from './sql-batch.js';
import { isSqlite } from './write-transaction.js';

/**
 * About how many index entries a count steps over in the time one journey row is read from the
 * table (a lookup by row id): SQLite counts an index range at ~0.05 µs an entry and fetches a row
 * at ~0.5–1 µs. Above this many journeys of history per active one, reading the active ones is
 * the cheaper way to count them.
 */
export const LOOKUP_COST = 16;

/** How the journeys home counts the journeys in each flow now. */
export type ActiveRead = 'active-rows' | 'all-minus-ended';

/**
 * Which read costs less: `active` journeys under way (counted on the active-only
 * ix_enrollments_wake, an index the size of the journeys under way) against `history`, the
 * journeys ever entered (the highest id). A shop whose journeys mostly finished long ago (650,000
 * ended, 3,000 waiting) reads its 3,000 active rows; a Double 11 with a million customers waiting
 * counts its index ranges, which costs little more than those rows and avoids a million lookups.
 */
export function activeRead(active: number, history: number): ActiveRead {
  return active < activeLimit(history) ? 'active-rows' : 'all-minus-ended';
}

/** Below this many journeys under way, reading them costs less than counting `history` twice over. */
const activeLimit = (history: number) => Math.floor(history / LOOKUP_COST);

/**
 * The journeys in each flow now (the home's 在旅程中), without any index the engine's steps would
 * have to write: widening ix_enrollments_wake by the flow id (w-tidy, twenty-sixth wave) made the
 * home 2.7× faster at 650,000 journeys of history and Double 11 at 1M 6–15% slower (every step
 * rewrites that index's entry), so it was taken out. Both reads here use indexes as they are:
 * - 'active-rows': the journeys under way through the active-only ix_enrollments_wake, each row
 *   read for its flow id — costs the journeys under way, never the finished ones;
 * - 'all-minus-ended': per flow, all − finished, two covering index ranges (ix_enrollments_flow_entered,
 *   ix_enrollments_flow_ended) as long as the flow's history.
 * `how` forces one (tests); otherwise activeRead() picks the cheaper from two cheap reads: the
 * highest journey id (one seek) and the active count on the active-only index, stopped at
 * history / LOOKUP_COST entries.
 */
export async function activeByFlow(ds: DataSource, flows: readonly string[], how?: ActiveRead): Promise<Map<string, number>> {
  const one = async (sql: string, params: unknown[] = []) => (await queryRows(ds, sql, params))[0] ?? {};
  const out = new Map<string, number>(flows.map((f) => [f, 0]));
  if (!how) {
    const history = Number((await one('SELECT MAX(id) AS n FROM enrollments')).n ?? 0);
    // Counted only up to the limit: a Double 11's million journeys under way are not counted once
    // more just to learn that the index ranges are the cheaper read (counted in full, it made the home slower there than before).
    const limit = activeLimit(history);
    const active = limit > 0 ? Number((await one("SELECT COUNT(*) AS n FROM (SELECT 1 AS x FROM enrollments WHERE status = 'active' LIMIT ?) a", [limit])).n ?? 0) : 0;
    how = limit > 0 ? activeRead(active, history) : 'all-minus-ended';
  }
  if (how === 'active-rows') {
    // SQLite would otherwise walk ix_enrollments_flow_entered in full for the GROUP BY's order.
    const sql = `SELECT flow_id, COUNT(*) AS n FROM enrollments${isSqlite(ds) ? ' INDEXED BY ix_enrollments_wake' : ''} WHERE status = 'active' GROUP BY flow_id`;
    for (const r of await queryRows(ds, sql, [])) if (out.has(String(r.flow_id))) out.set(String(r.flow_id), Number(r.n));
    return out;
  }
  for (const flow of flows) {
    // A step rewrites no index entry of either count (migration HomeStatIndexes).
    const all = Number((await one('SELECT COUNT(*) AS n FROM enrollments WHERE flow_id = ?', [flow])).n ?? 0);
    const ended = Number((await one("SELECT COUNT(*) AS n FROM enrollments WHERE flow_id = ? AND status <> 'active'", [flow])).n ?? 0);
    out.set(flow, all - ended);
  }
  return out;
}
