import { describe, expect, it } from '@jest/globals';
import { record, start, undo } from '../../designer/src/model/history.js';
import { tickGroups } from '../../designer/src/model/tick-group.js';

/** A step deleted from the canvas reaches the drawing as two changes in one tick: one undo step. */
describe('one undo group a tick', () => {
  it('gives the changes of one tick the same group and the next tick a new one', async () => {
    const group = tickGroups('delete');
    const a = group();
    expect(group()).toBe(a);
    await Promise.resolve();
    expect(group()).not.toBe(a);
  });

  it('so one undo takes back both the line into a deleted step and the step', () => {
    const group = tickGroups('delete', () => undefined); // the tick never ends here
    const built = { steps: ['start', 'wait'], lines: ['start>wait'] };
    let h = start(built);
    h = record(h, { steps: ['start', 'wait'], lines: [] }, group()); // the edges first
    h = record(h, { steps: ['start'], lines: [] }, group()); // then the step
    expect(undo(h).present).toEqual(built);
  });
});
