import { describe, expect, it } from '@jest/globals';
import { liveViewAfterDiscard } from '../../designer/src/model/live-after-discard.js';

/** Walk 35-discarded: 放弃修改 on a published journey reloaded the editor and the 实时数据 view vanished. */
describe('the live numbers after 放弃修改', () => {
  it('stay on for a published journey when they were on: the editor now shows the live version they count', () => {
    expect(liveViewAfterDiscard('live', true)).toBe(true);
  });

  it('do not come on from a simulation (the discarded draft\'s numbers), from nothing, or for an unpublished journey', () => {
    expect(liveViewAfterDiscard('sim', true)).toBe(false);
    expect(liveViewAfterDiscard(null, true)).toBe(false);
    expect(liveViewAfterDiscard('live', false)).toBe(false);
  });
});
