import { describe, expect, it } from '@jest/globals';
import { appendAfter } from '../../designer/src/model/append-after.js';
import { NODE_HEIGHT, NODE_WIDTH } from '../../designer/src/model/layout.js';
import { newNode } from '../../designer/src/model/palette.js';
import { ADD_GAP, placeAdded } from '../../designer/src/model/place-added.js';
import type { DraftFlow, DraftNode, Position } from '../../designer/src/model/types.js';

/** Where a step added after the selected one goes: never on a line, never over a card. */
const flow = (nodes: DraftNode[]): DraftFlow => ({ id: 'f', name: 'f', nodes });
const box = (p: Position) => ({ x: p.x, y: p.y, w: NODE_WIDTH, h: NODE_HEIGHT });
const overlaps = (a: Position, b: Position) => box(a).x < box(b).x + NODE_WIDTH && box(b).x < box(a).x + NODE_WIDTH && a.y < b.y + NODE_HEIGHT && b.y < a.y + NODE_HEIGHT;

describe('placing a step added after the selected one', () => {
  it('puts a 否 added under a 条件判断 whose 是 already leads down beside that line, not on it', () => {
    const f = flow([
      { id: 'check', type: 'condition', yes: 'send' },
      { id: 'send', type: 'send', next: 'end' },
      { id: 'end', type: 'exit' },
    ]);
    const positions = { check: { x: 0, y: 0 }, send: { x: 0, y: 150 }, end: { x: 0, y: 300 } };
    const added = newNode(f, 'exit');
    const next = appendAfter(f, 'check', added);
    expect(next.nodes[0]).toMatchObject({ yes: 'send', no: added.id });
    const out = placeAdded(next, positions, {}, 'check', added.id);
    const p = out[added.id];
    // Right of the 是 column (否 is the right-hand branch), clear of every card, nothing else moved.
    expect(p.x).toBeGreaterThanOrEqual(NODE_WIDTH);
    for (const id of ['check', 'send', 'end']) expect(overlaps(p, out[id])).toBe(false);
    expect({ check: out.check, send: out.send, end: out.end }).toEqual(positions);
  });

  it('inserts a step in the column of what followed and moves what is below down to make room', () => {
    const f = flow([
      { id: 'start', type: 'entry', next: 'wait' },
      { id: 'wait', type: 'wait', duration: '1d', next: 'end' },
      { id: 'end', type: 'exit' },
    ]);
    const positions = { start: { x: 0, y: 0 }, wait: { x: 0, y: 150 }, end: { x: 0, y: 300 } };
    const added = newNode(f, 'send');
    const next = appendAfter(f, 'start', added);
    const out = placeAdded(next, positions, {}, 'start', added.id);
    expect(out[added.id]).toEqual({ x: 0, y: NODE_HEIGHT + ADD_GAP });
    expect(out.wait.y).toBeGreaterThanOrEqual(out[added.id].y + NODE_HEIGHT + ADD_GAP);
    expect(out.end.y - out.wait.y).toBe(150);
  });

  it('goes below the selected card as measured, not over the bottom of a tall one', () => {
    const f = flow([{ id: 'send', type: 'send', channel: 'sms', template: '很长的短信' }]);
    const added = newNode(f, 'wait');
    const next = appendAfter(f, 'send', added);
    const out = placeAdded(next, { send: { x: 0, y: 0 } }, { send: { width: NODE_WIDTH, height: 180 } }, 'send', added.id);
    expect(out[added.id]).toEqual({ x: 0, y: 180 + ADD_GAP });
  });

  it('keeps clear of a line that runs down past the selected step', () => {
    // check's 否 runs straight down to end, past a (drawn so by the marketer); a new step under a would sit on that line.
    const f = flow([
      { id: 'check', type: 'condition', yes: 'a', no: 'end' },
      { id: 'a', type: 'send' },
      { id: 'end', type: 'exit' },
    ]);
    const positions = { check: { x: 0, y: 0 }, a: { x: 0, y: 150 }, end: { x: 0, y: 450 } };
    const added = newNode(f, 'wait');
    const next = appendAfter(f, 'a', added);
    const out = placeAdded(next, positions, {}, 'a', added.id);
    const p = out[added.id];
    const lineX = NODE_WIDTH / 2; // the 否 line's x, from check's bottom to end's top
    expect(p.y).toBe(150 + NODE_HEIGHT + ADD_GAP);
    expect(p.x + NODE_WIDTH <= lineX || p.x >= lineX).toBe(true);
    expect(overlaps(p, out.end)).toBe(false);
  });
});
