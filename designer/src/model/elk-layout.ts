import type { ELK as ElkApi, ElkNode } from 'elkjs/lib/elk-api.js';
import { clearEdgePaths } from './edge-clearance.js';
import { handleSlots } from './handle-layout.js';
import { edgesFrom, hasInput, outputsOf } from './handles.js';
import { NODE_HEIGHT, NODE_WIDTH } from './layout.js';
import type { DraftFlow, Position } from './types.js';

/**
 * The auto layout: ELK's layered algorithm (top to bottom) with each node's branch handles as
 * ports in their fixed places at the bottom of the card (where StepNode draws them), so ELK
 * orders the nodes of the next layer to match the branches left to right: arms, cases and
 * yes/no do not cross where a drawing without crossings exists, and edges are not routed behind
 * cards. `labelOf` turns a handle's i18n key into its text (the card's width depends on it).
 */
// ELK is 1.5 MB of the designer's 2 MB bundle and only the auto layout needs it, so it is loaded
// on first use (Vite splits it into its own chunk) rather than with the page.
// The bundle is CommonJS: Vite and Node hand over module.exports as the default, TypeScript's
// node16 resolution types it as the namespace; one constructor either way.
let elk: Promise<ElkApi> | null = null;
function loadElk(): Promise<ElkApi> {
  elk ??= import('elkjs/lib/elk.bundled.js').then((m) => {
    const bundled = m.default as unknown as { default?: unknown };
    const ElkConstructor = (bundled.default ?? bundled) as new () => ElkApi;
    return new ElkConstructor();
  });
  return elk;
}

export async function layeredLayout(flow: DraftFlow, labelOf: (key: string) => string = (k) => k): Promise<Record<string, Position>> {
  const ids = new Set(flow.nodes.map((n) => n.id));
  const children: ElkNode[] = flow.nodes.map((n) => {
    const outs = outputsOf(n);
    const slots = handleSlots(outs.map((h) => ('key' in h.label ? labelOf(h.label.key) : h.label.text)), NODE_WIDTH);
    return {
      id: n.id,
      width: slots.width,
      height: NODE_HEIGHT,
      layoutOptions: { 'elk.portConstraints': 'FIXED_POS' },
      ports: [
        ...(hasInput(n) ? [{ id: `${n.id}::in`, x: slots.width / 2, y: 0, width: 1, height: 1, layoutOptions: { 'elk.port.side': 'NORTH' } }] : []),
        ...outs.map((h, i) => ({ id: `${n.id}::${h.id}`, x: slots.centers[i], y: NODE_HEIGHT, width: 1, height: 1, layoutOptions: { 'elk.port.side': 'SOUTH' } })),
      ],
    };
  });
  const edges = flow.nodes.flatMap((n) =>
    edgesFrom(n)
      .filter(([, t]) => ids.has(t) && t !== n.id)
      .map(([h, t]) => ({ id: `${n.id}:${h}`, sources: [`${n.id}::${h}`], targets: [`${t}::in`] })),
  );
  const graph = await (await loadElk()).layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'DOWN',
      'elk.spacing.nodeNode': '40',
      'elk.layered.spacing.nodeNodeBetweenLayers': '70',
      'elk.layered.spacing.edgeNodeBetweenLayers': '25',
      'elk.layered.crossingMinimization.strategy': 'LAYER_SWEEP',
      'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
      'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
      'elk.edgeRouting': 'SPLINES',
    },
    children,
    edges,
  });
  const out: Record<string, Position> = {};
  for (const c of graph.children ?? []) out[c.id] = { x: Math.round(c.x ?? 0), y: Math.round(c.y ?? 0) };
  // The canvas draws edges as curves, not along ELK's routes: cards a curve would cut are moved aside.
  return clearEdgePaths(flow, out, labelOf);
}

/** Edge crossings of a drawing (straight segments from handle to input), for tests and a hint. */
export function crossings(flow: DraftFlow, positions: Record<string, Position>, labelOf: (key: string) => string = (k) => k): number {
  const segs: [number, number, number, number][] = [];
  const byId = new Map(flow.nodes.map((n) => [n.id, n]));
  for (const n of flow.nodes) {
    const outs = outputsOf(n);
    const slots = handleSlots(outs.map((h) => ('key' in h.label ? labelOf(h.label.key) : h.label.text)), NODE_WIDTH);
    for (const [h, t] of edgesFrom(n)) {
      const target = byId.get(t);
      if (!target || !positions[n.id] || !positions[t]) continue;
      const i = outs.findIndex((o) => o.id === h);
      const tw = handleSlots(outputsOf(target).map((o) => ('key' in o.label ? labelOf(o.label.key) : o.label.text)), NODE_WIDTH).width;
      segs.push([positions[n.id].x + slots.centers[i], positions[n.id].y + NODE_HEIGHT, positions[t].x + tw / 2, positions[t].y]);
    }
  }
  const cross = (a: number[], b: number[]) => {
    const d = (p: number[], q: number[], r: number[]) => (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]);
    const [p1, p2, p3, p4] = [[a[0], a[1]], [a[2], a[3]], [b[0], b[1]], [b[2], b[3]]];
    const shared = [p1, p2].some((p) => [p3, p4].some((q) => Math.abs(p[0] - q[0]) < 0.5 && Math.abs(p[1] - q[1]) < 0.5));
    return !shared && d(p3, p4, p1) * d(p3, p4, p2) < 0 && d(p1, p2, p3) * d(p1, p2, p4) < 0;
  };
  let n = 0;
  for (let i = 0; i < segs.length; i++) for (let j = i + 1; j < segs.length; j++) if (cross(segs[i], segs[j])) n++;
  return n;
}
