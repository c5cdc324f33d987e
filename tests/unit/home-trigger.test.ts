import { describe, expect, it } from '@jest/globals';
import { homeTrigger } from '../../server/src/api/designer/home-trigger.js';

/**
 * The journeys home row of a running flow says how customers enter what runs: a draft without an
 * entry (an imported file, a half-drawn change) made the running payment reminder read
 * "（未设置入口）" with 下次运行 "—" while it still took every order.
 */
const onOrder = { nodes: [{ id: 'start', type: 'entry', trigger: { kind: 'event', event: 'order_created' } }] };
const daily = { nodes: [{ id: 'start', type: 'entry', trigger: { kind: 'schedule', at: '10:00' } }] };

describe('the journeys home’s 进入方式', () => {
  it('a published flow: its published entry, whatever the draft says', () => {
    expect(homeTrigger(onOrder, { nodes: [{ id: 's1', type: 'send' }] })).toEqual({ kind: 'event', event: 'order_created' });
    expect(homeTrigger(onOrder, daily)).toEqual({ kind: 'event', event: 'order_created' });
  });
  it('a flow never published: its draft’s (or file’s) entry; none when it has none', () => {
    expect(homeTrigger(undefined, daily)).toEqual({ kind: 'schedule', at: '10:00' });
    expect(homeTrigger(undefined, { nodes: [] })).toBeNull();
    expect(homeTrigger(undefined, {})).toBeNull();
  });
});
