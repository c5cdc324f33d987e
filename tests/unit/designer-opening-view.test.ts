import { describe, expect, it } from '@jest/globals';
import { fitZoom, boundsOf, openingView, READABLE_ZOOM, sameViewport, type Box } from '../../designer/src/model/opening-view.js';

/**
 * Where the canvas opens on a journey: fitted when its cards stay readable, else at the readable
 * zoom from its entry. The numbers are the designer's own: 220 × 96 cards, 12 px text (readable
 * down to 9 px: zoom 0.75), the canvas of a 1366×768 window (876 × 697) and FIT_VIEW's insets.
 */
const CARD = { width: 220, height: 96 };
const INSETS = { top: 24, right: 24, bottom: 130, left: 24 };
const LAPTOP = { width: 876, height: 697 };
const LIMITS = { minZoom: 0.1, maxZoom: 2 };
const card = (x: number, y: number): Box => ({ x, y, ...CARD });
/** A top-to-bottom journey: the entry on top in the middle, then `rows` rows of `across` cards. */
function tree(rows: number, across: number): { steps: Box[]; entry: Box } {
  const width = across * 260 - 40;
  const entry = card(width / 2 - CARD.width / 2, 0);
  const steps = [entry];
  for (let r = 1; r <= rows; r++) for (let c = 0; c < across; c++) steps.push(card(c * 260, r * 176));
  return { steps, entry };
}
/** Where a flow point lands on the screen. */
const onScreen = (v: { x: number; y: number; zoom: number }, p: { x: number; y: number }) => ({ x: p.x * v.zoom + v.x, y: p.y * v.zoom + v.y });

describe('the view a journey opens at', () => {
  it('reads 9 px of the cards’ 12 px text as the readable zoom', () => {
    expect(READABLE_ZOOM).toBe(0.75);
  });

  it('fits a small journey whole, at the zoom React Flow’s fitView gives it, when its cards stay readable', () => {
    const { steps, entry } = tree(2, 2); // 5 cards, 480 × 448
    const v = openingView({ steps, anchor: entry, canvas: LAPTOP, insets: INSETS, ...LIMITS });
    expect(v.fitsAll).toBe(true);
    // (876 − 48) / 480 = 1.725 across, (697 − 154) / 448 = 1.21 down: the smaller.
    expect(v).toEqual({ fitsAll: true, zoom: (697 - 154) / 448 });
  });

  it('opens a journey too big to read fitted at the readable zoom, its entry at the top of the view and inside the insets', () => {
    const { steps, entry } = tree(6, 9); // Double-11 sized: 55 cards, 2300 × 1152
    expect(fitZoom(boundsOf(steps), LAPTOP, INSETS, 0.1, 2)).toBeCloseTo(0.36, 2); // fitted: 4.3 px text
    const v = openingView({ steps, anchor: entry, canvas: LAPTOP, insets: INSETS, ...LIMITS });
    if (v.fitsAll) throw new Error('fitted an unreadable journey');
    expect(v.viewport.zoom).toBe(READABLE_ZOOM);
    const topLeft = onScreen(v.viewport, entry);
    const bottomRight = onScreen(v.viewport, { x: entry.x + entry.width, y: entry.y + entry.height });
    expect(topLeft.y).toBe(INSETS.top); // the journey's top edge at the top inset
    // Centred across (the journey spreads to both sides of its entry), well inside the insets.
    expect((topLeft.x + bottomRight.x) / 2).toBeCloseTo(INSETS.left + (LAPTOP.width - INSETS.left - INSETS.right) / 2, 6);
    expect(topLeft.x).toBeGreaterThanOrEqual(INSETS.left);
    expect(bottomRight.x).toBeLessThanOrEqual(LAPTOP.width - INSETS.right);
    expect(bottomRight.y).toBeLessThanOrEqual(LAPTOP.height - INSETS.bottom);
  });

  it('slides the view back inside the journey: an entry at the far left opens at the left edge, not with empty canvas beside it', () => {
    const { steps } = tree(6, 8);
    const entry = steps[1]; // the leftmost card of the first row
    const v = openingView({ steps, anchor: entry, canvas: LAPTOP, insets: INSETS, ...LIMITS });
    if (v.fitsAll) throw new Error('fitted an unreadable journey');
    expect(onScreen(v.viewport, entry).x).toBe(INSETS.left);
    expect(onScreen(v.viewport, { x: 0, y: 0 }).y).toBe(INSETS.top);
  });

  it('centres an axis on which the journey fits: a long chain opens from its top, centred across', () => {
    const steps = Array.from({ length: 12 }, (_, i) => card(0, i * 176)); // one column, 2032 tall
    const v = openingView({ steps, anchor: steps[0], canvas: LAPTOP, insets: INSETS, ...LIMITS });
    if (v.fitsAll) throw new Error('fitted an unreadable journey');
    const left = onScreen(v.viewport, { x: 0, y: 0 });
    const right = onScreen(v.viewport, { x: CARD.width, y: 0 });
    expect((left.x + right.x) / 2).toBeCloseTo(LAPTOP.width / 2, 6);
    expect(left.y).toBe(INSETS.top);
  });

  it('shows a step just added at the bottom of a big journey (the anchor it is given), not the entry', () => {
    const { steps } = tree(6, 9);
    const added = card(4 * 260, 7 * 176);
    const v = openingView({ steps: [...steps, added], anchor: added, canvas: LAPTOP, insets: INSETS, ...LIMITS });
    if (v.fitsAll) throw new Error('fitted an unreadable journey');
    const top = onScreen(v.viewport, added);
    const bottom = onScreen(v.viewport, { x: added.x + added.width, y: added.y + added.height });
    expect(top.x).toBeGreaterThanOrEqual(INSETS.left);
    expect(bottom.x).toBeLessThanOrEqual(LAPTOP.width - INSETS.right);
    expect(top.y).toBeGreaterThanOrEqual(INSETS.top);
    expect(bottom.y).toBeLessThanOrEqual(LAPTOP.height - INSETS.bottom);
  });

  it('fits the same journey whole on a canvas big enough to read it fitted (a 1920×1080 window), not on a laptop’s', () => {
    const { steps, entry } = tree(3, 5); // 1260 × 624
    expect(openingView({ steps, anchor: entry, canvas: LAPTOP, insets: INSETS, ...LIMITS }).fitsAll).toBe(false); // 828 / 1260 = 0.66
    expect(openingView({ steps, anchor: entry, canvas: { width: 1430, height: 1009 }, insets: INSETS, ...LIMITS })).toEqual({ fitsAll: true, zoom: 1382 / 1260 });
  });

  it('without an entry, opens from the journey’s top-left corner; with no steps or no canvas yet, leaves it to fitView', () => {
    const { steps } = tree(6, 9);
    const v = openingView({ steps, canvas: LAPTOP, insets: INSETS, ...LIMITS });
    if (v.fitsAll) throw new Error('fitted an unreadable journey');
    expect(onScreen(v.viewport, { x: 0, y: 0 })).toEqual({ x: INSETS.left, y: INSETS.top });
    expect(openingView({ steps: [], canvas: LAPTOP, insets: INSETS, ...LIMITS }).fitsAll).toBe(true);
    expect(openingView({ steps, canvas: { width: 0, height: 0 }, insets: INSETS, ...LIMITS }).fitsAll).toBe(true);
  });

  it('never opens above the canvas’s maximum zoom', () => {
    const { steps, entry } = tree(6, 9);
    const v = openingView({ steps, anchor: entry, canvas: LAPTOP, insets: INSETS, minZoom: 0.1, maxZoom: 0.5 });
    expect(v.fitsAll ? v.zoom : v.viewport.zoom).toBe(0.5);
  });

  it('takes a view read back through React Flow’s transform as the one set, and a pan or zoom by hand as another', () => {
    const set = { x: 123.4, y: -56.7, zoom: 0.75 };
    expect(sameViewport(set, { x: 123.4000000001, y: -56.69999999, zoom: 0.7500000001 })).toBe(true);
    expect(sameViewport(set, { x: 123.4 - 40, y: -56.7, zoom: 0.75 })).toBe(false);
    expect(sameViewport(set, { x: 123.4, y: -56.7 + 3, zoom: 0.75 })).toBe(false);
    expect(sameViewport(set, { x: 123.4, y: -56.7, zoom: 0.75 * 1.2 })).toBe(false);
  });
});
