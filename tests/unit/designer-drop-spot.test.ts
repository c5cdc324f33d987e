import { describe, expect, it } from '@jest/globals';
import { dropSpot, type DropInput, type ScreenRect } from '../../designer/src/model/drop-spot.js';

/** A card dropped from the palette at the canvas's bottom right lay under the minimap (the walkthrough). */
describe('where a card dropped from the palette lands', () => {
  const canvas = { width: 1000, height: 600 };
  // React Flow's minimap (160×100, 15 px from the bottom right) and the zoom buttons (bottom left).
  const minimap: ScreenRect = { x: 1000 - 15 - 160, y: 600 - 15 - 100, width: 160, height: 100 };
  const controls: ScreenRect = { x: 15, y: 600 - 15 - 27, width: 110, height: 27 };
  const card = { width: 220, height: 96 };
  const base: Omit<DropInput, 'at'> = { card, canvas, panels: [minimap, controls], viewport: { x: 0, y: 0, zoom: 1 } };
  const screenBox = (p: { x: number; y: number }, v = base.viewport): ScreenRect => ({ x: p.x * v.zoom + v.x, y: p.y * v.zoom + v.y, width: card.width * v.zoom, height: card.height * v.zoom });
  const clear = (b: ScreenRect, r: ScreenRect) => b.x + b.width <= r.x || r.x + r.width <= b.x || b.y + b.height <= r.y || r.y + r.height <= b.y;
  const inside = (b: ScreenRect) => b.x >= 0 && b.y >= 0 && b.x + b.width <= canvas.width && b.y + b.height <= canvas.height;

  it('leaves a drop where the card fits as it is', () => {
    expect(dropSpot({ ...base, at: { x: 300, y: 200 } })).toEqual({ x: 300, y: 200 });
  });

  it('moves a card dropped at the bottom-right corner inside the canvas and off the minimap', () => {
    const p = dropSpot({ ...base, at: { x: 990, y: 590 } });
    const b = screenBox(p);
    expect(inside(b)).toBe(true);
    expect(clear(b, minimap)).toBe(true);
    expect(clear(b, controls)).toBe(true);
    // The shorter way: up above the minimap (it is wider than it is tall), kept to the right.
    expect(b.y + b.height).toBeLessThanOrEqual(minimap.y);
    expect(b.x + b.width).toBe(canvas.width - 8);
  });

  it('moves a card dropped on the zoom buttons up, and one dropped just left of the minimap left of it or above it', () => {
    const low = screenBox(dropSpot({ ...base, at: { x: 40, y: 560 } }));
    expect([inside(low), clear(low, controls), clear(low, minimap)]).toEqual([true, true, true]);
    const beside = screenBox(dropSpot({ ...base, at: { x: 700, y: 520 } }));
    expect([inside(beside), clear(beside, minimap)]).toEqual([true, true]);
  });

  it('works in flow coordinates under any pan and zoom', () => {
    const viewport = { x: -340, y: 125, zoom: 0.5 };
    const at = { x: (990 - viewport.x) / viewport.zoom, y: (590 - viewport.y) / viewport.zoom }; // the bottom-right corner on the screen
    const b = screenBox(dropSpot({ ...base, viewport, at }), viewport);
    expect([inside(b), clear(b, minimap), clear(b, controls)]).toEqual([true, true, true]);
    // Zoomed in (a card twice its size): still inside the canvas and off the minimap.
    const zoomed = { x: 0, y: 0, zoom: 2 };
    const z = screenBox(dropSpot({ ...base, viewport: zoomed, at: { x: 495, y: 295 } }), zoomed);
    expect([inside(z), clear(z, minimap)]).toEqual([true, true]);
  });

  it('keeps a card wider or taller than NODE_WIDTH × NODE_HEIGHT inside the canvas and off the minimap, by its own size', () => {
    // An A/B 分组 is 250 wide: placed as 220 wide at the bottom right, its right 30 px lay past the canvas's edge.
    const split = { width: 250, height: 65 };
    const corner = dropSpot({ ...base, card: split, at: { x: 990, y: 590 } });
    const b = { ...corner, ...split };
    expect([inside(b), clear(b, minimap), clear(b, controls)]).toEqual([true, true, true]);
    // Just left of the minimap: a 220-wide card there is clear of it, a 250-wide one not.
    const left = dropSpot({ ...base, card: split, at: { x: minimap.x - 8 - 230, y: 500 } });
    expect(clear({ ...left, ...split }, minimap)).toBe(true);
    // A tall card (a send with a problem line) dropped above the minimap goes up as far as its height takes.
    const tall = { width: 220, height: 160 };
    const up = dropSpot({ ...base, card: tall, at: { x: 800, y: 400 } });
    expect([inside({ ...up, ...tall }), clear({ ...up, ...tall }, minimap)]).toEqual([true, true]);
  });

  it('moves a card dropped on another off it, still clear of the minimap', () => {
    const first = { x: 300, y: 200, width: 220, height: 96 };
    const second = { ...dropSpot({ ...base, at: { x: 300, y: 200 }, cards: [first] }), ...card };
    expect(clear(second, first)).toBe(true);
    // In flow units under pan and zoom: the cards are given in flow units as well.
    const viewport = { x: -340, y: 125, zoom: 0.5 };
    const p = dropSpot({ ...base, viewport, at: { x: 300, y: 200 }, cards: [first] });
    expect(clear({ ...p, ...card }, first)).toBe(true);
    // At the bottom right, on a card already moved above the minimap: off it, and still off the minimap.
    const placed = dropSpot({ ...base, at: { x: 990, y: 590 } });
    const again = screenBox(dropSpot({ ...base, at: { x: 990, y: 590 }, cards: [{ ...placed, ...card }] }));
    expect([inside(again), clear(again, minimap), clear(again, { ...placed, ...card })]).toEqual([true, true, true]);
  });
});
