import type { Position } from './types.js';
import { freeSpot } from './free-spot.js';
import type { Viewport } from './opening-view.js';

/**
 * Where a card dragged from the palette lands. It is placed with its top-left corner at the drop
 * point, so one dropped near the canvas's bottom-right corner lay under the minimap (or, bottom
 * left, under the zoom buttons) or past the canvas's edge: a card the marketer could neither see
 * nor click. The card is moved up or left, the shorter way, until its box on the screen lies inside
 * the canvas and clear of those panels (with a small gap); a drop where it fits stays where it is.
 * Then, when it would cover a card already there (two dropped at the same point lay one exactly
 * on the other), it goes to the nearest place that covers none (model/free-spot.ts).
 *
 * The card's size is the size of the card as drawn, not NODE_WIDTH × NODE_HEIGHT: an A/B 分组 is
 * 250 wide (its three branch labels), and it stuck out past the canvas's right edge or over the
 * minimap. CanvasPane places a dropped card with an estimate, then again from the same drop point
 * once React Flow has measured it.
 */

/** A rectangle on the screen, relative to the canvas's top-left corner, in screen pixels. */
export interface ScreenRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface DropInput {
  /** The drop point in flow coordinates (where the card's top-left corner would go). */
  at: Position;
  /** The card's size in flow units. */
  card: { width: number; height: number };
  /** The cards already on the canvas, in flow units (their top-left corners and sizes). */
  cards?: ScreenRect[];
  /** The canvas's size in screen pixels. */
  canvas: { width: number; height: number };
  /** What is drawn over the canvas (the minimap, the zoom buttons), relative to the canvas. */
  panels: ScreenRect[];
  viewport: Viewport;
  /** Screen pixels kept between the card and the canvas's edges or a panel (default 8). */
  gap?: number;
}

const overlaps = (a: ScreenRect, b: ScreenRect, gap: number) => a.x < b.x + b.width + gap && b.x < a.x + a.width + gap && a.y < b.y + b.height + gap && b.y < a.y + a.height + gap;

export function dropSpot(input: DropInput): Position {
  const { viewport: v, canvas, panels } = input;
  const gap = input.gap ?? 8;
  const w = input.card.width * v.zoom;
  const h = input.card.height * v.zoom;
  const box: ScreenRect = { x: input.at.x * v.zoom + v.x, y: input.at.y * v.zoom + v.y, width: w, height: h };
  // Inside the canvas first (the right and bottom edges win over the left and top only when the card is bigger than the canvas).
  box.x = Math.max(Math.min(box.x, canvas.width - w - gap), gap);
  box.y = Math.max(Math.min(box.y, canvas.height - h - gap), gap);
  // Then off each panel it covers: up above it or left of it, whichever is the shorter move that
  // stays inside the canvas (a second pass: moving off one must not leave it on another).
  for (let pass = 0; pass < 2; pass++) {
    for (const p of panels) {
      if (!overlaps(box, p, gap)) continue;
      const up = p.y - gap - h;
      const left = p.x - gap - w;
      const moves = [
        { y: up, cost: box.y - up, ok: up >= gap },
        { x: left, cost: box.x - left, ok: left >= gap },
      ].filter((m) => m.ok);
      const best = moves.sort((a, b) => a.cost - b.cost)[0];
      if (!best) continue; // a canvas too small to keep it clear: left where it is
      if (best.y !== undefined) box.y = best.y;
      if (best.x !== undefined) box.x = best.x;
    }
  }
  const cards = (input.cards ?? []).map((c) => ({ x: c.x * v.zoom + v.x, y: c.y * v.zoom + v.y, width: c.width * v.zoom, height: c.height * v.zoom }));
  const free = freeSpot({ box, cards, panels, canvas, gap });
  return { x: (free.x - v.x) / v.zoom, y: (free.y - v.y) / v.zoom };
}
