import type { Flow } from '../core/flow/schema.js';
import type { FlowVersion } from '../core/engine/model.js';
import type { FlowRepository } from '../persistence/flow-repository.js';

/**
 * The flow a simulation runs, kept apart from the live flow of the same id in the copy of the
 * shop it runs on. Published under the live id, a draft identical to the live version would BE
 * that version (publishing the same content returns it), so the live version's real journeys were
 * counted as the simulation's; and a one-off audience that had already run (the flow's last run
 * set, its customers enrolled) let nobody in. Under an id of its own, never used by a real flow
 * (`~` is not allowed in flow ids), the simulated flow has run nowhere: it enters its audience as
 * if fresh, re-entry rules see only its own journeys, and every figure counted by its id is its own.
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
 * Publishes the simulated flow in a COPY of the shop (never the live database): the live flow of
 * the same id stops taking new customers there (its journeys under way go on, as they would after
 * publishing the draft), so the two do not both enter the same customers and take each other's
 * contact-policy slots; then the simulated flow is published, active, as of `from`.
 */
export async function publishSimulatedFlow(copy: FlowRepository, flow: Flow, author: string, from: number): Promise<{ flowId: string; version: FlowVersion }> {
  await copy.closeEntry(flow.id);
  const simulated = asSimulatedFlow(flow);
  const { version } = await copy.publish(simulated, author, from);
  return { flowId: simulated.id, version };
}
