import { describe, expect, it } from '@jest/globals';
import { connectAround } from '../../designer/src/model/connect-around.js';
import { connect } from '../../designer/src/model/connect.js';
import { edgesThroughCards } from '../../designer/src/model/edge-clearance.js';
import type { DraftFlow } from '../../designer/src/model/types.js';

/**
 * Walkthrough leftover: a marketer drags 不满足 from 买过 3 单以上？ to the exit below the 老客礼物
 * card; the line was drawn straight through the gift card ("those customers get the gift"), while
 * auto layout never leaves a line through a card. A hand-drawn line now moves the card it would cut
 * aside, as auto layout does, and nothing else.
 */
const flow: DraftFlow = {
  id: 'hand-edge',
  name: '手连的线',
  nodes: [
    { id: 'start', type: 'entry', trigger: { type: 'event', event: 'order_created' }, next: 'check' },
    { id: 'check', type: 'condition', label: '买过 3 单以上？', conditions: { all: [{ fact: 'orderCount', operator: 'greaterThanInclusive', value: 3 }] }, yes: 'gift' },
    { id: 'gift', type: 'send', label: '老客礼物', channel: 'sms', next: 'done' },
    { id: 'done', type: 'exit' },
  ],
};
/** One column, as the marketer placed it. */
const column = { start: { x: 0, y: 0 }, check: { x: 0, y: 180 }, gift: { x: 0, y: 360 }, done: { x: 0, y: 540 } };
const no = { source: 'check', sourceHandle: 'no', target: 'done' };

describe('an edge connected by hand', () => {
  it('would cross the gift card where the cards stand', () => {
    expect(edgesThroughCards(connect(flow, no), column)).toEqual([{ edge: 'check:no', card: 'gift' }]);
  });

  it('moves the card it would cross out of its way, keeping its own two cards and the rest where they were', () => {
    const r = connectAround(flow, column, no);
    expect(r.flow.nodes.find((n) => n.id === 'check')?.no).toBe('done');
    expect(edgesThroughCards(r.flow, r.positions, undefined, 4)).toEqual([]);
    expect(r.blocked).toEqual([]);
    expect(r.positions.gift.y).toBe(column.gift.y);
    expect(r.positions.gift.x).not.toBe(column.gift.x);
    for (const id of ['start', 'check', 'done']) expect(r.positions[id]).toEqual(column[id as keyof typeof column]);
  });

  it('moves nothing for a line that crosses no card, and leaves crossings it did not draw alone', () => {
    const beside = { ...column, gift: { x: 400, y: 360 } };
    const r = connectAround(flow, beside, no);
    expect(r.positions).toBe(beside);
    // A crossing already there (another line through a card the marketer placed) is not this gesture's to move.
    const crossed = connectAround(connect(flow, no), column, { source: 'gift', sourceHandle: 'next', target: 'done' });
    expect(crossed.positions).toBe(column);
  });
});
