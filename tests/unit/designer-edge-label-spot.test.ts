import { describe, expect, it } from '@jest/globals';
import { cardBoxes, labelSize, labelSpot, type CardBox } from '../../designer/src/model/edge-label-spot.js';

const inside = (p: { x: number; y: number }, text: string, c: CardBox) => {
  const s = labelSize(text);
  return p.x - s.w / 2 < c.x + c.w && p.x + s.w / 2 > c.x && p.y - s.h / 2 < c.y + c.h && p.y + s.h / 2 > c.y;
};

describe('where an edge count label sits (model/edge-label-spot.ts)', () => {
  const label = '对照组 10% · 487 (11%)';

  it("moves a label off a card its curve's middle runs beside (walk-mkt: the 对照组 line past the other arm's SMS read 「组 10% · 0 (0%)」)", () => {
    // The auto-laid-out win-back test at 1366×768: the holdout's handle at (714, 383) of the split,
    // the 等待响应's input at (653, 725), the 方案 B SMS card at (494, 553) 164 × 82 between them.
    const source = { x: 714, y: 383 };
    const target = { x: 653, y: 725 };
    const sms: CardBox = { x: 494, y: 553, w: 164, h: 82 };
    const mid = { x: (source.x + target.x) / 2, y: (source.y + target.y) / 2 };
    // React Flow's own place, the middle, puts the label's start under the card.
    expect(inside(mid, label, sms)).toBe(true);
    const spot = labelSpot(source, target, label, [sms]);
    expect(inside(spot, label, sms)).toBe(false);
    // Still on its line, between the two ends, and as near the middle as the card lets it be.
    expect(spot.y).toBeGreaterThan(source.y);
    expect(spot.y).toBeLessThan(target.y);
    expect(spot.y).toBeLessThan(sms.y);
  });

  it('keeps the middle when no card is there, and the middle when nowhere on the line is clear', () => {
    const free = labelSpot({ x: 0, y: 0 }, { x: 0, y: 400 }, label, [{ x: 300, y: 0, w: 220, h: 96 }]);
    expect(free).toEqual({ x: 0, y: 200 });
    const covered = labelSpot({ x: 0, y: 0 }, { x: 0, y: 400 }, label, [{ x: -200, y: -50, w: 400, h: 500 }]);
    expect(covered).toEqual({ x: 0, y: 200 });
  });

  it("keeps clear of the edge's own two cards too, and sizes Chinese text a full em a character", () => {
    // A short edge between two cards 40 px apart: the gap's middle is the one clear place.
    const cards = [{ x: -110, y: 0, w: 220, h: 100 }, { x: -110, y: 140, w: 220, h: 100 }];
    const spot = labelSpot({ x: 0, y: 100 }, { x: 0, y: 140 }, '是 · 12 (60%)', cards);
    expect(spot.y).toBeCloseTo(120, 0);
    expect(labelSize('对照组').w).toBeGreaterThan(labelSize('abc').w);
    expect(cardBoxes([{ id: 'a', position: { x: 5, y: 6 } }, { id: 'b', position: { x: 0, y: 0 } }], { a: { width: 300, height: 120 } })).toEqual([
      { x: 5, y: 6, w: 300, h: 120 },
      { x: 0, y: 0, w: 220, h: 96 },
    ]);
  });
});
