import dagre from '@dagrejs/dagre';
import { edgesFrom } from './handles.js';
import type { DraftFlow, Layout, Position } from './types.js';

/** Size the canvas gives a node box (StepNode.tsx keeps to it), used to space the layout. */
export const NODE_WIDTH = 220;
export const NODE_HEIGHT = 96;

/**
 * Top-to-bottom layout with dagre: the entry at the top, branches side by side. Positions are
 * the top-left corners React Flow uses (dagre gives centres).
 */
export function autoLayout(flow: DraftFlow): Record<string, Position> {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: 50, ranksep: 70, marginx: 0, marginy: 0 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of flow.nodes) g.setNode(n.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  const ids = new Set(flow.nodes.map((n) => n.id));
  for (const n of flow.nodes) for (const [h, t] of edgesFrom(n)) if (ids.has(t) && t !== n.id) g.setEdge(n.id, t, {}, h);
  dagre.layout(g);
  const out: Record<string, Position> = {};
  for (const n of flow.nodes) {
    const p = g.node(n.id) as { x: number; y: number };
    out[n.id] = { x: Math.round(p.x - NODE_WIDTH / 2), y: Math.round(p.y - NODE_HEIGHT / 2) };
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
