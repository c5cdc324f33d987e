import type { DataSource } from 'typeorm';
import { auditInsert, type AuditRecord } from './audit-log.js';
import { executeBatch, queryRows } from './sql-batch.js';

/** A simulation that ran in this database: the flow (its own name) and the virtual period. */
export interface SimulationRun {
  flowId: string;
  from: number;
  to: number;
}

/**
 * Marks the database as a simulation's copy of the shop (migration SimulationCopy), recording the
 * run. Only for a database the simulation copied itself (or one already marked): the mark holds
 * every message and journey in it (runtime/simulation-copy-hold.ts), which the live shop must never
 * be. `at`: when it was marked (the real clock).
 */
export async function markSimulationCopy(ds: DataSource, run: SimulationRun, at: number): Promise<void> {
  await executeBatch(ds, [{ sql: 'INSERT INTO simulation_copy (flow_id, from_at, to_at, marked_at) VALUES (?, ?, ?, ?)', params: [run.flowId, run.from, run.to, at] }]);
}

/** The simulations run in this database, oldest first; none: it is not a simulation's copy. */
export async function simulationRunsIn(ds: DataSource): Promise<SimulationRun[]> {
  const rows = await queryRows<{ flow_id: string; from_at: number | string; to_at: number | string }>(ds, 'SELECT flow_id, from_at, to_at FROM simulation_copy ORDER BY marked_at, from_at');
  return rows.map((r) => ({ flowId: r.flow_id, from: Number(r.from_at), to: Number(r.to_at) }));
}

/**
 * Removes the mark (`rekindle simulate unmark`) and records who did, in one transaction: a copy
 * marked by mistake, or one promoted to a real shop (a staging restore). From then on a server on
 * the database sends its queued messages and moves its journeys. `audit`: the entry, without its
 * detail — the runs removed are added here. Answers the runs removed (none: it was no copy).
 */
export async function unmarkSimulationCopy(ds: DataSource, audit: Omit<AuditRecord, 'detail' | 'action'>): Promise<SimulationRun[]> {
  const runs = await simulationRunsIn(ds);
  if (runs.length === 0) return [];
  await executeBatch(ds, [{ sql: 'DELETE FROM simulation_copy', params: [] }, auditInsert({ ...audit, action: 'simulation-copy-unmarked', detail: { runs } })]);
  return runs;
}
