import { bezierPoints } from './edge-clearance.js';
import { NODE_HEIGHT, NODE_WIDTH } from './layout.js';
import type { Position } from './types.js';

/**
 * Where an edge's count label ("对照组 10% · 487 (11%)") sits on its curve. React Flow puts it at
 * the curve's middle; a long edge that skips a layer (an A/B test's 对照组 going straight to the
 * 等待响应 past the other arm's send) has its middle beside or on a card, and the card, drawn over
 * the edges, hid the label's start: the live view read "组 10% · 0 (0%)", the branch's name gone.
 * The label goes to the point of the curve nearest its middle where its box touches no card.
 */
export interface CardBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The edge label's font (styles.css .react-flow__edge-text: 11px) and padding (labelBgPadding [4, 2]). */
const FONT = 11;
const PAD_X = 4;
const PAD_Y = 2;
/** Room kept between a label and a card. */
const GAP = 2;

/** The label's box as drawn: Chinese characters are a full em wide, the rest (digits, Latin, ·) about 0.6. */
export function labelSize(text: string): { w: number; h: number } {
  let w = 0;
  for (const ch of text) w += /[\u2e80-\u9fff\uff00-\uffef]/.test(ch) ? FONT : FONT * 0.6;
  return { w: Math.ceil(w) + 2 * PAD_X, h: Math.ceil(FONT * 1.3) + 2 * PAD_Y };
}

/** The cards as boxes on the canvas: measured when React Flow has measured them, else the default size. */
export function cardBoxes(nodes: readonly { id: string; position: Position }[], measured: Readonly<Record<string, { width: number; height: number }>>): CardBox[] {
  return nodes.map((n) => ({ x: n.position.x, y: n.position.y, w: measured[n.id]?.width ?? NODE_WIDTH, h: measured[n.id]?.height ?? NODE_HEIGHT }));
}

const overlaps = (cx: number, cy: number, size: { w: number; h: number }, c: CardBox) =>
  cx - size.w / 2 < c.x + c.w + GAP && cx + size.w / 2 > c.x - GAP && cy - size.h / 2 < c.y + c.h + GAP && cy + size.h / 2 > c.y - GAP;

/**
 * The label's centre: the curve's middle when no card is in the way there, else the point of the
 * curve nearest the middle where the label's box is clear of every card; the middle when there is
 * none (a label cannot leave its line).
 */
export function labelSpot(source: Position, target: Position, text: string, cards: readonly CardBox[]): Position {
  const points = bezierPoints(source.x, source.y, target.x, target.y);
  const size = labelSize(text);
  const mid = Math.floor(points.length / 2);
  for (let step = 0; step <= mid; step++) {
    for (const i of step === 0 ? [mid] : [mid - step, mid + step]) {
      const p = points[i];
      if (!p) continue;
      if (!cards.some((c) => overlaps(p[0], p[1], size, c))) return { x: p[0], y: p[1] };
    }
  }
  return { x: points[mid][0], y: points[mid][1] };
}
