import { crossings } from './elk-layout.js';
import { handleSlots } from './handle-layout.js';
import { edgesFrom, outputsOf } from './handles.js';
import { NODE_HEIGHT } from './layout.js';
import type { DraftFlow, Position } from './types.js';

/**
 * Edges drawn through cards, and a layout moved so none is. The canvas draws each edge as React
 * Flow's default bezier from the branch's handle (bottom) to the target's input (top), not along
 * the route ELK planned around the cards, so an edge that skips a layer can cut straight through a
 * card between: in an A/B test laid out automatically the 对照组 line went through the email card
 * and read as "the holdout gets the email". Curves between neighbouring layers stay in the gap.
 */
type Labels = (key: string) => string;
interface Box {
  id: string;
  x: number;
  y: number;
  w: number;
}
/** Room kept between a line and a card it passes. */
const MARGIN = 16;
const SAMPLES = 32;
const ROUNDS = 40;

const slotsOf = (n: DraftFlow['nodes'][number], labelOf: Labels) => handleSlots(outputsOf(n).map((h) => ('key' in h.label ? labelOf(h.label.key) : h.label.text)), 220);

/** Points along React Flow's bezier from a bottom handle to a top input (@xyflow/system getBezierPath, curvature 0.25). */
export function bezierPoints(sx: number, sy: number, tx: number, ty: number): [number, number][] {
  const d = ty - sy;
  // A point every ~4 px of height: a card's rows of the curve are never skipped.
  const n = Math.max(SAMPLES, Math.ceil(Math.abs(d) / 4));
  const off = d >= 0 ? 0.5 * d : 0.25 * 25 * Math.sqrt(-d);
  const c1 = [sx, sy + off];
  const c2 = [tx, ty - off];
  const out: [number, number][] = [];
  for (let i = 0; i <= n; i++) {
    const t = i / n;
    const u = 1 - t;
    out.push([u * u * u * sx + 3 * u * u * t * c1[0] + 3 * u * t * t * c2[0] + t * t * t * tx, u * u * u * sy + 3 * u * u * t * c1[1] + 3 * u * t * t * c2[1] + t * t * t * ty]);
  }
  return out;
}

/** Each drawn edge as its points, with the cards it may not touch (all but its own two). */
function drawnEdges(flow: DraftFlow, pos: Record<string, Position>, labelOf: Labels) {
  const byId = new Map(flow.nodes.map((n) => [n.id, n]));
  const out: { id: string; source: string; target: string; points: [number, number][] }[] = [];
  for (const n of flow.nodes) {
    const slots = slotsOf(n, labelOf);
    const outs = outputsOf(n);
    for (const [h, t] of edgesFrom(n)) {
      const target = byId.get(t);
      if (!target || t === n.id || !pos[n.id] || !pos[t]) continue;
      const i = outs.findIndex((o) => o.id === h);
      const sx = pos[n.id].x + (slots.centers[i] ?? slots.width / 2);
      out.push({ id: `${n.id}:${h}`, source: n.id, target: t, points: bezierPoints(sx, pos[n.id].y + NODE_HEIGHT, pos[t].x + slotsOf(target, labelOf).width / 2, pos[t].y) });
    }
  }
  return out;
}

const boxesOf = (flow: DraftFlow, pos: Record<string, Position>, labelOf: Labels): Box[] => flow.nodes.filter((n) => pos[n.id]).map((n) => ({ id: n.id, x: pos[n.id].x, y: pos[n.id].y, w: slotsOf(n, labelOf).width }));
const inside = (b: Box, [x, y]: [number, number], m: number) => x > b.x - m && x < b.x + b.w + m && y > b.y - m && y < b.y + NODE_HEIGHT + m;

/** Every (edge, card) pair where the drawn edge passes through (or within `margin` of) a card that is neither of its ends. */
export function edgesThroughCards(flow: DraftFlow, pos: Record<string, Position>, labelOf: Labels = (k) => k, margin = 0): { edge: string; card: string }[] {
  const boxes = boxesOf(flow, pos, labelOf);
  const out: { edge: string; card: string }[] = [];
  for (const e of drawnEdges(flow, pos, labelOf)) {
    for (const b of boxes) if (b.id !== e.source && b.id !== e.target && e.points.some((p) => inside(b, p, margin))) out.push({ edge: e.id, card: b.id });
  }
  return out;
}

/**
 * The layout with each card an edge passes through moved sideways out of its way (the shorter
 * way), together with the cards of its row on that side, so the row keeps its spacing and order.
 * A few rounds: a moved card's own edges move with it. `only`: clear just these edges' way (an
 * edge drawn by hand, model/connect-around.ts), leaving cards the marketer placed across others.
 */
export function clearEdgePaths(flow: DraftFlow, positions: Record<string, Position>, labelOf: Labels = (k) => k, only?: (edgeId: string) => boolean): Record<string, Position> {
  const pos = { ...positions };
  for (let round = 0; round < ROUNDS; round++) {
    const hit = edgesThroughCards(flow, pos, labelOf, MARGIN / 2).find((h) => !only || only(h.edge));
    if (!hit) break;
    const boxes = boxesOf(flow, pos, labelOf);
    const card = boxes.find((b) => b.id === hit.card)!;
    // The lines that cross the card's whole row (from above it to below it): lines into or out of
    // the row's cards move with them. The card goes to the nearest place clear of all of them.
    const edges = drawnEdges(flow, pos, labelOf).filter((e) => pos[e.source].y + NODE_HEIGHT <= card.y && pos[e.target].y >= card.y + NODE_HEIGHT);
    const spans = edges
      .map((e) => e.points.filter(([, y]) => y > card.y - MARGIN && y < card.y + NODE_HEIGHT + MARGIN).map(([x]) => x))
      .filter((xs) => xs.length)
      .map((xs) => [Math.min(...xs) - MARGIN, Math.max(...xs) + MARGIN]);
    const clear = (dx: number) => spans.every(([a, b]) => card.x + dx + card.w <= a || card.x + dx >= b);
    const hitEdge = edges.find((e) => e.id === hit.edge) ?? { source: '', target: '' };
    const rowOf = (dx: number) => boxes.filter((b) => Math.abs(b.y - card.y) < NODE_HEIGHT && (dx < 0 ? b.x <= card.x : b.x >= card.x) && b.id !== hitEdge.source && b.id !== hitEdge.target);
    const moved = (dx: number) => ({ ...pos, ...Object.fromEntries(rowOf(dx).map((b) => [b.id, { x: pos[b.id].x + Math.round(dx), y: pos[b.id].y }])) });
    // Of the places clear of the lines, the one that adds the fewest edge crossings, then the nearest.
    const choices = spans
      .flatMap(([a, b]) => [a - card.w - card.x, b - card.x])
      .filter((dx) => dx !== 0 && clear(dx))
      .map((dx) => ({ dx, crossings: crossings(flow, moved(dx), labelOf) }))
      .sort((p, q) => p.crossings - q.crossings || Math.abs(p.dx) - Math.abs(q.dx));
    if (!choices.length) break;
    Object.assign(pos, moved(choices[0].dx));
  }
  return pos;
}
