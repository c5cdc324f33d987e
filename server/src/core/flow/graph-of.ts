import type { ValuePath } from './problems.js';

/**
 * The graph view of a flow's node list (raw or parsed): each node's outgoing edges, named like the
 * fields that hold them. Apart from the graph checks (graph-checks.ts, which re-exports it) so a
 * pure check the designer imports (core/coupons/unsent-coupons.ts) does not bring the schema along.
 */
export interface GraphEdge {
  /** Handle name as in `edgesOf` (schema.ts): next, yes, no, case-0, else, arm-a, responded… */
  handle: string;
  /** Target node id; null when the branch is not connected. */
  target: string | null;
  path: ValuePath;
}

export interface GraphNode {
  index: number;
  id: string | null;
  type: string | null;
  edges: GraphEdge[];
}

const SINGLE_EDGES: Record<string, string[]> = {
  entry: ['next'],
  wait: ['next'],
  send: ['next'],
  action: ['next'],
  limit: ['next'],
  condition: ['yes', 'no'],
  waitForEvent: ['responded', 'timedOut'],
  switch: [],
  split: [],
  exit: [],
};
const ANY_EDGE_FIELD = ['next', 'yes', 'no', 'responded', 'timedOut', 'else', 'capped', 'overflow'];

type Raw = Record<string, unknown>;
const asObject = (v: unknown): Raw | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Raw) : undefined);
const targetOf = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** The graph view of a node list (raw or parsed). */
export function graphOf(nodes: readonly unknown[]): GraphNode[] {
  return nodes.map((n, index) => {
    const node = asObject(n) ?? {};
    const type = typeof node.type === 'string' ? node.type : null;
    const base: ValuePath = ['nodes', index];
    const edges: GraphEdge[] = [];
    if (type === 'switch') {
      const cases = Array.isArray(node.cases) ? node.cases : [];
      cases.forEach((c, i) => edges.push({ handle: `case-${i}`, target: targetOf(asObject(c)?.next), path: [...base, 'cases', i, 'next'] }));
      edges.push({ handle: 'else', target: targetOf(node.else), path: [...base, 'else'] });
    } else if (type === 'split') {
      const arms = Array.isArray(node.arms) ? node.arms : [];
      arms.forEach((a, i) => edges.push({ handle: `arm-${String(asObject(a)?.id ?? i)}`, target: targetOf(asObject(a)?.next), path: [...base, 'arms', i, 'next'] }));
    } else if (type !== null && type in SINGLE_EDGES) {
      for (const f of SINGLE_EDGES[type]) edges.push({ handle: f, target: targetOf(node[f]), path: [...base, f] });
      // A send's `capped` branch is optional (only onCapped: branch needs it, which the schema checks).
      if (type === 'send' && targetOf(node.capped)) edges.push({ handle: 'capped', target: targetOf(node.capped), path: [...base, 'capped'] });
      // A limit's `overflow` branch is optional too (without it, customers beyond the limit leave).
      if (type === 'limit' && targetOf(node.overflow)) edges.push({ handle: 'overflow', target: targetOf(node.overflow), path: [...base, 'overflow'] });
    } else {
      // Unknown type (reported by the schema): follow whatever edge-like fields it has, so its
      // successors are not also reported as unreachable.
      for (const f of ANY_EDGE_FIELD) if (targetOf(node[f])) edges.push({ handle: f, target: targetOf(node[f]), path: [...base, f] });
    }
    return { index, id: typeof node.id === 'string' && node.id !== '' ? node.id : null, type, edges };
  });
}
