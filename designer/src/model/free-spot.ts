import type { ScreenRect } from './drop-spot.js';

/**
 * The nearest place for a card that covers none of the cards already there. Two steps dropped at
 * the same point lay exactly one on the other, and the marketer saw one card; the second is now
 * moved the shortest distance to where it covers no card, stays inside the canvas and clear of
 * what is drawn over it (the minimap, the zoom buttons). A place that is free stays as it is; on
 * a canvas with no free place, the card goes where it covers the least of the others.
 *
 * The nearest free place has each coordinate either where the card was or against an edge (a
 * card's, a panel's or the canvas's, with its gap): only those are tried, nearest first.
 */
export interface FreeSpotInput {
  /** Where the card would lie, on the screen (relative to the canvas's top-left corner). */
  box: ScreenRect;
  /** The cards already on the canvas, on the screen. */
  cards: ScreenRect[];
  /** What is drawn over the canvas (the minimap, the zoom buttons). */
  panels: ScreenRect[];
  canvas: { width: number; height: number };
  /** Screen pixels kept from the canvas's edges and the panels (default 8). */
  gap?: number;
  /** Screen pixels kept between cards (default 16: a line's label fits between them). */
  cardGap?: number;
}

const overlaps = (a: ScreenRect, b: ScreenRect, gap: number) => a.x < b.x + b.width + gap && b.x < a.x + a.width + gap && a.y < b.y + b.height + gap && b.y < a.y + a.height + gap;

/** The card's new top-left corner on the screen. */
export function freeSpot(input: FreeSpotInput): { x: number; y: number } {
  const { box, panels, canvas } = input;
  const gap = input.gap ?? 8;
  const cardGap = input.cardGap ?? 16;
  const { width: w, height: h } = box;
  // Only the cards on the canvas can be in the way of a place on it.
  const cards = input.cards.filter((c) => overlaps(c, { x: 0, y: 0, ...canvas }, cardGap));
  const onCanvas = (b: ScreenRect) => b.x >= gap && b.y >= gap && b.x + w <= canvas.width - gap && b.y + h <= canvas.height - gap && !panels.some((p) => overlaps(b, p, gap));
  // How much of the cards the card would cover (with a gap kept around it: 0 is a free place).
  const covered = (b: ScreenRect, g = 0) => cards.reduce((sum, c) => sum + Math.max(0, Math.min(b.x + w + g, c.x + c.width) - Math.max(b.x - g, c.x)) * Math.max(0, Math.min(b.y + h + g, c.y + c.height) - Math.max(b.y - g, c.y)), 0);
  if (!covered(box, cardGap)) return { x: box.x, y: box.y };
  const xs = new Set([box.x, gap, canvas.width - gap - w]);
  const ys = new Set([box.y, gap, canvas.height - gap - h]);
  for (const c of cards) {
    xs.add(c.x - cardGap - w).add(c.x + c.width + cardGap);
    ys.add(c.y - cardGap - h).add(c.y + c.height + cardGap);
  }
  for (const p of panels) {
    xs.add(p.x - gap - w).add(p.x + p.width + gap);
    ys.add(p.y - gap - h).add(p.y + p.height + gap);
  }
  // The nearest free place; on a canvas with none (zoomed in, full), the place covering the least
  // of the other cards, so that both are still told apart. Of two places as near, the lower one,
  // then the one to the right: the second card of two dropped at one point comes under or after
  // the first, as the marketer reads.
  let best: { x: number; y: number; cover: number; d: number } | null = null;
  for (const x of xs) {
    for (const y of ys) {
      const b = { x, y, width: w, height: h };
      if (!onCanvas(b)) continue;
      // A free place before any other; then the least covered (without the gap).
      const cover = covered(b, cardGap) ? 1 + covered(b) : 0;
      const d = (x - box.x) ** 2 + (y - box.y) ** 2;
      const better = !best || cover < best.cover || (cover === best.cover && (d < best.d || (d === best.d && (y > best.y || (y === best.y && x > best.x)))));
      if (better) best = { x, y, cover, d };
    }
  }
  return best && best.cover < 1 + covered(box) ? { x: best.x, y: best.y } : { x: box.x, y: box.y };
}
