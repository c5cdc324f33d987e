import type { DataSource } from 'typeorm';
import type { Flow } from '../core/flow/schema.js';
import type { FlowVersion } from '../core/engine/model.js';
import type { FlowRepository } from '../persistence/flow-repository.js';
import { setLiveFlowAside } from '../persistence/simulation-copy.js';
import { queryRows } from '../persistence/sql-batch.js';

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
