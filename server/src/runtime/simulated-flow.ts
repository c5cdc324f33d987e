import type { DataSource } from 'typeorm';
import type { Flow } from '../core/flow/schema.js';
import type { FlowVersion } from '../core/engine/model.js';
import type { FlowRepository } from '../persistence/flow-repository.js';
import { setLiveFlowAside } from '../persistence/simulation-copy.js';
import { queryRows } from '../persistence/sql-batch.js';
import { experimentReportTime, experimentResponsesTime } from '../persistence/report-time.js';

/**
 * The flow a simulation runs, kept apart from the live flow of the same id in the copy of the
 * shop it runs on. Published under the live id, a draft identical to the live version would BE
 * that version (publishing the same content returns it), so the live version's real journeys were
 * counted as the simulation's; and a one-off audience that had already run (the flow's last run
 * set, its customers enrolled) let nobody in. Under an id of its own, never used by a real flow
 * (`~` is not allowed in flow ids), the simulated flow has run nowhere: it enters its audience as
 * if fresh, re-entry rules see only its own journeys, and every figure counted by its id is its own.
 * The live flow itself is set aside in the copy (publishSimulatedFlow).
 */
export const SIMULATED_SUFFIX = '~simulated';

export function simulatedFlowId(flowId: string): string {
  return `${flowId}${SIMULATED_SUFFIX}`;
}

/**
 * The flow under its simulation id. A split without a salt hashes customers into arms by flow id
 * and node id: it gets the live id's salt, so the simulation puts each customer in the arm the
 * real flow would.
 */
export function asSimulatedFlow(flow: Flow): Flow {
  return {
    ...flow,
    id: simulatedFlowId(flow.id),
    nodes: flow.nodes.map((n) => (n.type === 'split' && n.salt === undefined ? { ...n, salt: `${flow.id}/${n.id}` } : n)),
  };
}

/**
 * Publishes the simulated flow in a COPY of the shop (never the live database), as of `from`,
 * after setting the live flow of the same id aside there (persistence/simulation-copy.ts: paused,
 * its messages forgotten), so the simulation does not depend on the live flow's real run.
 */
export async function publishSimulatedFlow(copy: DataSource, flows: FlowRepository, flow: Flow, author: string, from: number): Promise<{ flowId: string; version: FlowVersion }> {
  await setLiveFlowAside(copy, flow.id, from);
  const simulated = asSimulatedFlow(flow);
  const { version } = await flows.publish(simulated, author, from);
  return { flowId: simulated.id, version };
}

/** The flow's own name for an id read back from a simulated database (the id itself otherwise). */
export function flowNameOf(flowId: string): string {
  return flowId.endsWith(SIMULATED_SUFFIX) ? flowId.slice(0, -SIMULATED_SUFFIX.length) : flowId;
}

export function isSimulatedFlowId(flowId: string): boolean {
  return flowId.endsWith(SIMULATED_SUFFIX);
}

/**
 * The id to read a flow's figures by in `db`: its simulation's id when `rekindle simulate` ran it
 * there, else the flow's own. A developer names the flow they simulated (`rekindle report
 * payment-reminder` after `rekindle simulate payment-reminder`) and means the simulation, not the
 * live flow's real journeys set aside in the copy. The simulated flow's row in `flows` is the mark
 * (no marker table or file to keep in step): a live database never holds one, since `~` is not
 * allowed in flow ids, so there the name reads as ever.
 */
export async function flowIdToRead(db: DataSource, flowId: string): Promise<string> {
  if (isSimulatedFlowId(flowId)) return flowId;
  const [row] = await queryRows(db, 'SELECT id FROM flows WHERE id = ?', [simulatedFlowId(flowId)]);
  return row ? simulatedFlowId(flowId) : flowId;
}

/**
 * Up to when a flow's figures are a simulation's (null: the live flow's, read as of now), as the
 * journeys home labels them 模拟数据，截至 …: on a simulation's copy (read by `<id>~simulated`), or
 * where a simulation ran straight into this database (`rekindle simulate <flow> --db`, no copy) and
 * the flow's last step is ahead of the clock, which no live journey's is. `lastStep`: the flow's
 * last logged step, or now when it has none or it is earlier (persistence/report-time.ts).
 */
export function simulatedAtOf(flowId: string, readId: string, lastStep: number, now: number): number | null {
  return readId !== flowId || lastStep > now ? lastStep : null;
}

/**
 * The id a flow's figures are read by in `db` and up to when they are a simulation's, for one flow
 * (the journeys home reads many at once with the same rule): the canvas's numbers, read by the
 * flow's own id on a simulation's copy, said 0 on every card while the home showed the simulation's.
 */
export async function figuresToRead(db: DataSource, flowId: string, now: number): Promise<{ readId: string; simulatedAt: number | null }> {
  const readId = await flowIdToRead(db, flowId);
  const last = simulatedAtOf(flowId, readId, await experimentReportTime(db, readId, now), now);
  // As the journeys home dates it: a simulation ahead of the clock as of the instant its reports
  // read it (its last step, or its customers' newest event when later), so 截至 agrees between views.
  return { readId, simulatedAt: last !== null && last > now ? await experimentResponsesTime(db, readId, now) : last };
}

/**
 * The flows list (GET /api/flows) on a simulation's copy: each flow says whether its simulation is
 * in this database (`simulated`: its figures are the simulation's, read by the flow's own id — the
 * editor's 实时数据 was greyed out on a flow never published in the live shop), and the
 * simulation's own `<id>~simulated` row is left out where the flow itself is listed (no designer
 * URL may name it), as on the journeys home.
 */
export function withSimulations<T extends { id: string }>(rows: readonly T[]): (T & { simulated: boolean })[] {
  const ids = new Set(rows.map((r) => r.id));
  return rows.filter((r) => !isSimulatedFlowId(r.id) || !ids.has(flowNameOf(r.id))).map((r) => ({ ...r, simulated: ids.has(simulatedFlowId(r.id)) }));
}
