import dagre from '@dagrejs/dagre';
import { edgesFrom, outputsOf } from './handles.js';
import { handleSlots } from './handle-layout.js';
import type { DraftFlow, DraftNode, Layout, Position } from './types.js';

/** Size the canvas gives a node box (StepNode.tsx keeps to it), used to space the layout. */
export const NODE_WIDTH = 220;
export const NODE_HEIGHT = 96;

/** The card's width: wider than NODE_WIDTH when its branch labels need the room (handle-layout.ts). */
export function nodeWidth(node: DraftNode, labelOf: (text: string) => string = (k) => k): number {
  const labels = outputsOf(node).map((h) => ('key' in h.label ? labelOf(h.label.key) : h.label.text));
  return handleSlots(labels, NODE_WIDTH).width;
}

/**
 * Top-to-bottom layered layout with dagre: the entry at the top, branches side by side. Edges
 * leave each node in the order of its handles (left to right), so dagre is given the targets
 * in that order and keeps them in it: arms and cases do not cross each other. Positions are the
 * top-left corners React Flow uses (dagre gives centres).
 */
export function autoLayout(flow: DraftFlow, labelOf?: (key: string) => string): Record<string, Position> {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: 40, ranksep: 80, marginx: 0, marginy: 0, ranker: 'network-simplex' });
  g.setDefaultEdgeLabel(() => ({}));
  const widths = new Map(flow.nodes.map((n) => [n.id, nodeWidth(n, labelOf)]));
  // Nodes in depth-first order from the entry, following handles left to right: dagre's initial
  // order, which its crossing minimisation keeps when it can.
  const byId = new Map(flow.nodes.map((n) => [n.id, n]));
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (id: string) => {
    if (seen.has(id) || !byId.has(id)) return;
    seen.add(id);
    order.push(id);
    for (const [, t] of edgesFrom(byId.get(id)!)) visit(t);
  };
  for (const n of flow.nodes) if (n.type === 'entry') visit(n.id);
  for (const n of flow.nodes) visit(n.id);
  for (const id of order) g.setNode(id, { width: widths.get(id)!, height: NODE_HEIGHT });
  for (const id of order) {
    const n = byId.get(id)!;
    for (const [h, t] of edgesFrom(n)) if (byId.has(t) && t !== n.id) g.setEdge(n.id, t, { weight: h === 'next' ? 2 : 1 }, h);
  }
  dagre.layout(g);
  const out: Record<string, Position> = {};
  for (const n of flow.nodes) {
    const p = g.node(n.id) as { x: number; y: number };
    out[n.id] = { x: Math.round(p.x - widths.get(n.id)! / 2), y: Math.round(p.y - NODE_HEIGHT / 2) };
  }
  return out;
}

/**
 * Positions for every node: those of the layout file, and for nodes it lacks (a file written by
 * hand, a missing layout file) the auto layout's — the same as the designer would place them.
 */
export function positionsFor(flow: DraftFlow, layout: Layout | undefined): Record<string, Position> {
  const given = layout?.positions ?? {};
  const missing = flow.nodes.some((n) => !given[n.id]);
  const auto = missing ? autoLayout(flow) : {};
  return Object.fromEntries(flow.nodes.map((n) => [n.id, given[n.id] ?? auto[n.id]]));
}

/** Only the positions of nodes that exist (a layout file keeps no stale positions). */
export function layoutOf(flow: DraftFlow, positions: Record<string, Position>): Layout {
  const out: Record<string, Position> = {};
  for (const n of flow.nodes) if (positions[n.id]) out[n.id] = { x: Math.round(positions[n.id].x), y: Math.round(positions[n.id].y) };
  return { positions: out };
}
