import { shiftedBelow } from './append-after.js';
import { edgesFrom, outputsOf } from './handles.js';
import { NODE_HEIGHT, NODE_WIDTH } from './layout.js';
import type { DraftFlow, Position } from './types.js';

type Size = { width: number; height: number };
type Box = { x: number; y: number; width: number; height: number };

/** Room between a step and the one added under it. */
export const ADD_GAP = 50;
/** Room between cards side by side. */
const SIDE_GAP = 40;

/**
 * Where a step added after the selected one goes (`flow` already connects it: model/append-after.ts).
 * It used to go straight under the selected step whatever that step's branches did: a 否 added
 * under a 条件判断 whose 是 already led down sat on the 是 line, which ran behind the new card
 * (and a card taller than NODE_HEIGHT had the new one over its bottom). Now:
 * - inserted before what the branch led to: in that step's column, and every step below the
 *   selected one moves down to make room, so the line stays one straight column;
 * - on a free branch: under the branch's handle, moved sideways (to the handle's side) past any
 *   card or line it would sit on, so no line runs behind it and nothing moves.
 * `sizes`: the cards as measured on the canvas (a card grows with its text and problems).
 */
export function placeAdded(flow: DraftFlow, positions: Record<string, Position>, sizes: Record<string, Size | undefined>, selectedId: string, addedId: string): Record<string, Position> {
  const selected = flow.nodes.find((n) => n.id === selectedId);
  const added = flow.nodes.find((n) => n.id === addedId);
  const from = positions[selectedId];
  if (!selected || !added || !from) return positions;
  const sizeOf = (id: string): Size => ({ width: sizes[id]?.width ?? NODE_WIDTH, height: Math.max(sizes[id]?.height ?? NODE_HEIGHT, NODE_HEIGHT) });
  const y = from.y + sizeOf(selectedId).height + ADD_GAP;
  const before = edgesFrom(added)[0]?.[1];
  if (before && positions[before]) {
    // What is below the selected step moves down just enough for the new card and its gap.
    const below = Object.values(positions).filter((p) => p.y > from.y).map((p) => p.y);
    const room = below.length ? Math.max(0, y + NODE_HEIGHT + ADD_GAP - Math.min(...below)) : 0;
    const at = positions[before].y > from.y ? positions[before].x : from.x;
    return { ...shiftedBelow(positions, from.y, room), [addedId]: { x: at, y } };
  }
  const outs = outputsOf(selected);
  const handle = edgesFrom(selected).find(([, t]) => t === addedId)?.[0];
  // The handles are spread evenly along the card's bottom (model/handle-layout.ts, near enough).
  const width = sizeOf(selectedId).width;
  const i = Math.max(0, outs.findIndex((h) => h.id === handle));
  const centre = (width * (i + 1)) / (outs.length + 1);
  // Moved to the handle's side: a left-hand branch to the left, a right-hand or middle one to the right.
  const step = centre < width / 2 ? -1 : 1;
  let x = Math.round(from.x + centre - NODE_WIDTH / 2);
  for (let tries = 0; tries < 40; tries++) {
    const box = { x, y, width: NODE_WIDTH, height: NODE_HEIGHT };
    const hit = blocking(flow, positions, sizeOf, box, addedId);
    if (!hit) break;
    x = step > 0 ? Math.max(x + 10, hit.x + hit.width + SIDE_GAP) : Math.min(x - 10, hit.x - NODE_WIDTH - SIDE_GAP);
  }
  return { ...positions, [addedId]: { x, y } };
}

/** The first card the box covers, or the box around a line (other than the new step's own) that runs through it. */
function blocking(flow: DraftFlow, positions: Record<string, Position>, sizeOf: (id: string) => Size, box: Box, addedId: string): Box | null {
  const pad = (b: Box, by: number): Box => ({ x: b.x - by, y: b.y - by, width: b.width + 2 * by, height: b.height + 2 * by });
  const area = pad(box, SIDE_GAP / 2);
  for (const n of flow.nodes) {
    const p = positions[n.id];
    if (n.id === addedId || !p) continue;
    const card = { ...p, ...sizeOf(n.id) };
    if (overlaps(area, card)) return card;
  }
  for (const n of flow.nodes) {
    const p = positions[n.id];
    if (n.id === addedId || !p) continue;
    for (const [, t] of edgesFrom(n)) {
      const q = positions[t];
      if (t === addedId || !q) continue;
      // A line leaves the bottom of its step and enters the top of the next: a segment between them.
      const a = { x: p.x + sizeOf(n.id).width / 2, y: p.y + sizeOf(n.id).height };
      const b = { x: q.x + sizeOf(t).width / 2, y: q.y };
      if (segmentCrosses(a, b, area)) return { x: Math.min(a.x, b.x), y: Math.min(a.y, b.y), width: Math.abs(a.x - b.x), height: Math.abs(a.y - b.y) };
    }
  }
  return null;
}

const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** Whether the segment a→b passes through the box (sampled: the lines are curves close to it anyway). */
function segmentCrosses(a: Position, b: Position, box: Box): boolean {
  for (let k = 0; k <= 20; k++) {
    const x = a.x + ((b.x - a.x) * k) / 20;
    const y = a.y + ((b.y - a.y) * k) / 20;
    if (x > box.x && x < box.x + box.width && y > box.y && y < box.y + box.height) return true;
  }
  return false;
}
