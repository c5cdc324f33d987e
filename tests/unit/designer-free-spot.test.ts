import { describe, expect, it } from '@jest/globals';
import { freeSpot } from '../../designer/src/model/free-spot.js';
import type { ScreenRect } from '../../designer/src/model/drop-spot.js';

/** Two steps dropped at the same point lay one exactly on the other: the marketer saw one card. */
describe('the nearest place for a dropped card that covers no other card', () => {
  const canvas = { width: 1000, height: 600 };
  const minimap: ScreenRect = { x: 825, y: 485, width: 160, height: 100 };
  const card = (x: number, y: number, width = 220, height = 65): ScreenRect => ({ x, y, width, height });
  const apart = (a: ScreenRect, b: ScreenRect, gap = 0) => a.x + a.width + gap <= b.x || b.x + b.width + gap <= a.x || a.y + a.height + gap <= b.y || b.y + b.height + gap <= a.y;
  const at = (box: ScreenRect, p: { x: number; y: number }): ScreenRect => ({ ...box, ...p });

  it('leaves a card that covers nothing where it is', () => {
    expect(freeSpot({ box: card(100, 100), cards: [card(400, 100)], panels: [minimap], canvas })).toEqual({ x: 100, y: 100 });
  });

  it('moves a card dropped exactly on another the shortest way off it, with a gap', () => {
    const other = card(300, 200);
    const p = freeSpot({ box: card(300, 200), cards: [other], panels: [minimap], canvas });
    expect(apart(at(card(0, 0), p), other, 16)).toBe(true);
    // The shorter move is down (65 + 16) rather than sideways (220 + 16).
    expect(p).toEqual({ x: 300, y: 200 + 65 + 16 });
  });

  it('passes over a place that is taken to the next free one', () => {
    const cards = [card(300, 200), card(300, 281)];
    const p = freeSpot({ box: card(300, 200), cards, panels: [], canvas });
    const box = at(card(0, 0), p);
    expect(cards.every((c) => apart(box, c, 16))).toBe(true);
    expect(p).toEqual({ x: 300, y: 200 - 65 - 16 });
  });

  it('never moves a card onto the minimap or past the canvas edge to clear another', () => {
    // A card at the bottom right, just above the minimap: the one dropped on it cannot go down.
    const other = card(770, 410);
    const p = freeSpot({ box: card(770, 410), cards: [other], panels: [minimap], canvas });
    const box = at(card(0, 0), p);
    expect([apart(box, other, 16), apart(box, minimap, 8), box.x >= 8, box.y >= 8, box.x + box.width <= canvas.width - 8, box.y + box.height <= canvas.height - 8]).toEqual([true, true, true, true, true, true]);
  });

  it('on a canvas with no free place, puts the card where it covers the least of the others', () => {
    // Zoomed in: three cards 440 × 136 fill a 876 × 697 canvas (seen in the browser at zoom 2).
    const big = (x: number, y: number) => card(x, y, 440, 136);
    const small = { width: 876, height: 697 };
    const cards = [big(218, 283.5), big(428, 429.5), big(428, 137.5)];
    const box = big(428, 283.5);
    const coverOf = (b: ScreenRect) => cards.reduce((s, c) => s + Math.max(0, Math.min(b.x + b.width, c.x + c.width) - Math.max(b.x, c.x)) * Math.max(0, Math.min(b.y + b.height, c.y + c.height) - Math.max(b.y, c.y)), 0);
    const p = at(box, freeSpot({ box, cards, panels: [minimap], canvas: small }));
    expect(coverOf(p)).toBeLessThan(coverOf(box) / 4);
    expect(cards.some((c) => c.x === p.x && c.y === p.y)).toBe(false);
    // A canvas the card cannot leave the others on at all: where it was.
    const full = [card(0, 0, 1000, 600)];
    expect(freeSpot({ box: card(300, 200), cards: full, panels: [], canvas })).toEqual({ x: 300, y: 200 });
  });

  it('ignores cards off the canvas', () => {
    expect(freeSpot({ box: card(8, 8), cards: [card(-400, -300)], panels: [], canvas })).toEqual({ x: 8, y: 8 });
  });
});
