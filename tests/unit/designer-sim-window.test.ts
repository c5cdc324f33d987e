import { describe, expect, it } from '@jest/globals';
import { simulationWords } from '../../designer/src/model/sim-summary.js';
import { runningWords, simulationWindow } from '../../designer/src/model/sim-window.js';
import type { DraftFlow } from '../../designer/src/model/types.js';

const NOW = Date.parse('2026-11-30T12:00:00+08:00');
const audience = (startAt: string, nodes: DraftFlow['nodes'] = []): DraftFlow => ({
  id: 'launch',
  name: '新品',
  nodes: [{ id: 'start', type: 'entry', trigger: { type: 'audience', segment: 'fans', startAt }, next: 'done' }, ...nodes, { id: 'done', type: 'exit' }],
});

describe('what the designer simulates', () => {
  it('a one-off audience from its startAt, long enough for its waits and response windows (new-product-launch: 14d + 10d)', () => {
    const f = audience('2027-04-20T10:00:00+08:00', [
      { id: 'w', type: 'wait', duration: '14d' },
      { id: 'bought', type: 'waitForEvent', events: ['order_paid'], within: '10d' },
    ]);
    expect(simulationWindow(f, NOW)).toEqual({ from: '2027-04-20T10:00:00+08:00', days: 25 });
  });

  it('waits until a date count from the start (Double 11: 27 Oct to 10 Nov 22:00)', () => {
    const f = audience('2026-10-27T09:00:00+08:00', [
      { id: 'a', type: 'wait', untilDate: '2026-10-29T10:00:00+08:00' },
      { id: 'b', type: 'wait', untilDate: '2026-11-10T22:00:00+08:00' },
    ]);
    expect(simulationWindow(f, NOW)).toEqual({ from: '2026-10-27T09:00:00+08:00', days: 16 });
  });

  it('other entries: the last days of the shop, at least a week, at most the 90 days the server takes', () => {
    const ev = (nodes: DraftFlow['nodes']): DraftFlow => ({ id: 'r', name: 'R', nodes: [{ id: 'start', type: 'entry', trigger: { type: 'event', event: 'order_created' } }, ...nodes] });
    expect(simulationWindow(ev([{ id: 'w', type: 'wait', duration: '2h' }]), NOW)).toEqual({ from: null, days: 7 });
    expect(simulationWindow(ev([{ id: 'w', type: 'wait', duration: '200d' }]), NOW)).toEqual({ from: null, days: 90 });
    // An audience whose startAt cannot be read yet (half typed) falls back to the last days.
    expect(simulationWindow(audience('soon'), NOW)).toEqual({ from: null, days: 7 });
  });

  it('says the window while running and in the result', () => {
    const f = audience('2026-10-27T09:00:00+08:00');
    expect(runningWords('zh', f, NOW, 'Asia/Shanghai')).toBe('模拟一次性人群开始时（2026/10/27 09:00）起的 7 天（在店铺数据的副本上，不会真的发送）');
    const r = { days: 7, from: '2026-10-27T01:00:00.000Z', summary: {}, report: { enrollments: { active: 3, completed: 0, exited: 0 }, nodes: [], sends: [] }, funnel: null };
    expect(simulationWords('zh', r, f, 'Asia/Shanghai')[0]).toBe('模拟一次性人群开始时（2026/10/27 09:00）起的 7 天：3 位顾客进入旅程');
    expect(simulationWords('en', { ...r, from: '2026-11-23T04:00:00.000Z' }, f, 'Asia/Shanghai')[0]).toBe('Simulated the last 7 days: 3 customers entered');
  });
});
