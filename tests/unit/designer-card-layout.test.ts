import { describe, expect, it } from '@jest/globals';
import { NODE_HEIGHT } from '../../designer/src/model/layout.js';
import { spreadForHeights } from '../../designer/src/model/spread-for-heights.js';

/** Cards grown by their figures do not cover the cards below them. */
describe('cards with figures', () => {
  const positions = { send: { x: 0, y: 0 }, wait: { x: 0, y: NODE_HEIGHT + 50 }, end: { x: 0, y: 2 * (NODE_HEIGHT + 50) }, other: { x: 400, y: NODE_HEIGHT + 50 } };
  const size = (height: number) => ({ width: 220, height });

  it('moves every card below a grown one down by its growth, keeping the gaps as drawn', () => {
    const out = spreadForHeights(positions, { send: size(NODE_HEIGHT + 60), wait: size(NODE_HEIGHT + 30), end: size(NODE_HEIGHT), other: size(NODE_HEIGHT) });
    expect(out.wait.y).toBe(NODE_HEIGHT + 50 + 60);
    expect(out.end.y).toBe(2 * (NODE_HEIGHT + 50) + 90);
    expect(out.other).toEqual(positions.other); // another column: nothing above it grew
    // No card's bottom reaches the top of the card under it.
    expect(out.send.y + NODE_HEIGHT + 60).toBeLessThan(out.wait.y);
    expect(out.wait.y + NODE_HEIGHT + 30).toBeLessThan(out.end.y);
  });

  it('leaves the cards as drawn when none grew (or none is measured yet)', () => {
    expect(spreadForHeights(positions, {})).toEqual(positions);
  });
});
