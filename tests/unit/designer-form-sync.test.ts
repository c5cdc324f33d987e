import { describe, expect, it } from '@jest/globals';
import { follow, sameValue, startSync, wroteByForm } from '../../designer/src/model/form-sync.js';
import { record, redo, start, undo } from '../../designer/src/model/history.js';

/**
 * The step form follows undo and redo: after 等待多久 3天 → 2天 and ↶ the card said 3 天 but the
 * form kept 2 天 (its duration widget reads the value once). A value the form did not write
 * redraws the form; its own writes do not (typing keeps focus).
 */
describe('a form follows changes made outside it', () => {
  const three = { id: 'wait', type: 'wait', duration: '3d', next: 'done' };
  const two = { ...three, duration: '2d' };

  it('is drawn anew when undo brings back the value the form no longer shows, and again on redo', () => {
    let h = start(three);
    let s = startSync(h.present);
    // The form writes 2天: the drawing records it, the form is not redrawn.
    s = wroteByForm(s, two);
    h = record(h, two, 'edit:wait:duration');
    s = follow(s, h.present);
    expect(s.generation).toBe(0);
    h = undo(h);
    s = follow(s, h.present);
    expect(s.generation).toBe(1);
    expect(s.shown).toBe(three);
    // Rendered again with the same value: no further redraw.
    expect(follow(s, h.present).generation).toBe(1);
    h = redo(h);
    s = follow(s, h.present);
    expect(s.generation).toBe(2);
  });

  it('is not redrawn for a copy of what it shows (keys in another order, a cleared field left undefined)', () => {
    const s = startSync(two);
    expect(follow(s, { next: 'done', duration: '2d', type: 'wait', id: 'wait' }).generation).toBe(0);
    expect(follow(s, { ...two, label: undefined }).generation).toBe(0);
  });

  it('tells values apart deep inside, in lists too', () => {
    expect(sameValue({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toBe(true);
    expect(sameValue({ a: [1, { b: 2 }] }, { a: [1, { b: 3 }] })).toBe(false);
    expect(sameValue({ a: [1] }, { a: { 0: 1 } })).toBe(false);
    expect(sameValue({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(sameValue(null, {})).toBe(false);
    // What cannot be read is kept as typed, a share as NaN: the same NaN is no change (NaN !== NaN redrew the form and wiped it).
    expect(follow(startSync({ share: Number.NaN }), { share: Number.NaN }).generation).toBe(0);
  });
});
