import { edgesFrom, outputsOf, withTarget } from './handles.js';
import { positionsFor } from './layout.js';
import type { NodeCounts } from './counts.js';
import type { DraftFlow, DraftNode, Layout, Position, Problem } from './types.js';

/**
 * Flow ⇄ canvas. The flow (plus the layout) is the one state; the canvas's nodes and edges are
 * derived from it on every change, and a canvas drawing can be read back into a flow. Node ids
 * are the flow's ids and edge ids are `<source>:<handle>`, so both stay stable across redraws.
 */
export interface StepData {
  node: DraftNode;
  problems: Problem[];
  counts?: NodeCounts;
  /** Live numbers are shown, but not on this card (the draft changed or added it): why, in words (model/counts-on-draft.ts). */
  countsWithheld?: string;
  [k: string]: unknown;
}
export interface CanvasNode {
  id: string;
  type: 'step';
  position: Position;
  data: StepData;
}
export interface CanvasEdge {
  id: string;
  source: string;
  sourceHandle: string;
  target: string;
  targetHandle: 'in';
}

export const edgeId = (source: string, handle: string) => `${source}:${handle}`;

export function flowToCanvas(flow: DraftFlow, layout: Layout | undefined, problems: readonly Problem[] = [], counts: readonly NodeCounts[] = [], withheld: ReadonlyMap<string, string> = new Map()): { nodes: CanvasNode[]; edges: CanvasEdge[] } {
  const positions = positionsFor(flow, layout);
  const ids = new Set(flow.nodes.map((n) => n.id));
  const nodes = flow.nodes.map(
    (n): CanvasNode => ({
      id: n.id,
      type: 'step',
      position: positions[n.id],
      data: { node: n, problems: problems.filter((p) => p.nodeId === n.id), counts: counts.find((c) => c.nodeId === n.id), ...(withheld.has(n.id) ? { countsWithheld: withheld.get(n.id) } : {}) },
    }),
  );
  // An edge to a node that does not exist is not drawn; the problem badge says so.
  const edges = flow.nodes.flatMap((n) =>
    edgesFrom(n)
      .filter(([, t]) => ids.has(t))
      .map(([h, t]): CanvasEdge => ({ id: edgeId(n.id, h), source: n.id, sourceHandle: h, target: t, targetHandle: 'in' })),
  );
  return { nodes, edges };
}

/** Reads a canvas back into a flow: nodes in canvas order, each edge field set from the edges. */
export function canvasToFlow(meta: Omit<DraftFlow, 'nodes'>, nodes: readonly Pick<CanvasNode, 'id' | 'data'>[], edges: readonly Pick<CanvasEdge, 'source' | 'sourceHandle' | 'target'>[]): DraftFlow {
  const flowNodes = nodes.map((cn) => {
    let n: DraftNode = { ...cn.data.node, id: cn.id };
    for (const h of outputsOf(n)) n = withTarget(n, h.id, undefined);
    for (const e of edges) if (e.source === cn.id) n = withTarget(n, e.sourceHandle, e.target);
    return n;
  });
  return { ...meta, nodes: flowNodes } as DraftFlow;
}

/** Which problems belong to no node (shown in the flow's problem list instead of a badge). */
export function flowLevelProblems(flow: DraftFlow, problems: readonly Problem[]): Problem[] {
  const ids = new Set(flow.nodes.map((n) => n.id));
  return problems.filter((p) => !p.nodeId || !ids.has(p.nodeId));
}
