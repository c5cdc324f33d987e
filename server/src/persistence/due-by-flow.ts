import type { DataSource } from 'typeorm';
import type { SqlReader } from './segment-store.js';
import { queryRows } from './sql-batch.js';
import { isSqlite } from './write-transaction.js';

/** At most this many due journeys are read for the count (the view polls; a Double-11 backlog is millions). */
export const DUE_COUNT_CAP = 100_000;

/**
 * Per flow, the active journeys whose wake-up time has passed: woken by an event the intake
 * consumed (a payment that ends a reminder) or due by their timer, and not yet stepped — work the
 * flow still has to do after the inbox is empty. Read through ix_enrollments_wake (active, by wake
 * time), at most DUE_COUNT_CAP rows (`capped`: it read that many, so there may be more; the per-flow
 * split is then of the longest-due ones). In the SQL reader thread on a SQLite file.
 */
export async function dueByFlow(ds: DataSource, reader: SqlReader | null, now: number): Promise<{ due: Map<string, number>; capped: boolean }> {
  const sql = `SELECT flow_id, COUNT(*) AS n FROM (SELECT flow_id FROM enrollments WHERE status = 'active' AND wake_at <= ? ORDER BY wake_at LIMIT ${DUE_COUNT_CAP}) d GROUP BY flow_id`;
  const rows = reader?.available && isSqlite(ds) ? ((await reader.all(sql, [now])) as Record<string, unknown>[]) : await queryRows(ds, sql, [now]);
  const due = new Map(rows.map((r) => [String(r.flow_id), Number(r.n)]));
  let total = 0;
  for (const n of due.values()) total += n;
  return { due, capped: total >= DUE_COUNT_CAP };
}
