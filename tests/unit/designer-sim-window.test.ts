import { describe, expect, it } from '@jest/globals';
import { simulationWords } from '../../designer/src/model/sim-summary.js';
import { longestJourney } from '../../designer/src/model/journey-length.js';
import { runningWords, simulationWindow } from '../../designer/src/model/sim-window.js';
import type { DraftFlow, DraftNode } from '../../designer/src/model/types.js';

const NOW = Date.parse('2026-11-30T12:00:00+08:00');
const DAY = 86_400_000;
/** Each node leads to the one after it (a response window both ways), the last to the exit. */
const chain = (nodes: DraftNode[]): DraftNode[] =>
  nodes.map((n, i) => {
    const to = nodes[i + 1]?.id ?? 'done';
    return n.type === 'waitForEvent' ? { ...n, responded: to, timedOut: to } : { ...n, next: to };
  });
const audience = (startAt: string, nodes: DraftFlow['nodes'] = []): DraftFlow => ({
  id: 'launch',
  name: '新品',
  nodes: [...chain([{ id: 'start', type: 'entry', trigger: { type: 'audience', segment: 'fans', startAt } }, ...nodes]), { id: 'done', type: 'exit' }],
});
const eventFlow = (nodes: DraftNode[]): DraftFlow => ({ id: 'r', name: 'R', nodes: [{ id: 'start', type: 'entry', trigger: { type: 'event', event: 'order_created' }, next: nodes[0]?.id }, ...nodes, { id: 'done', type: 'exit' }] });

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

  it('other entries: the customers who entered in the shop\'s last week, then on past now until the last of them finish (at most the 90 days the server takes)', () => {
    // A payment reminder (2 h + 22 h + 1 d): its last entrants get their last reminder and a day to pay, so its conversions are counted.
    const reminder = eventFlow([
      { id: 'w2h', type: 'wait', duration: '2h', next: 'r1' },
      { id: 'r1', type: 'send', channel: 'sms', template: 'x', next: 'w22h' },
      { id: 'w22h', type: 'wait', duration: '22h', next: 'r2' },
      { id: 'r2', type: 'send', channel: 'sms', template: 'x', next: 'w1d' },
      { id: 'w1d', type: 'wait', duration: '1d', next: 'done' },
    ]);
    expect(simulationWindow(reminder, NOW)).toEqual({ from: null, days: 10, entering: 7 });
    expect(simulationWindow(eventFlow([{ id: 'w', type: 'wait', duration: '2h', next: 'done' }]), NOW)).toEqual({ from: null, days: 9, entering: 7 });
    expect(simulationWindow(eventFlow([{ id: 'w', type: 'wait', duration: '200d', next: 'done' }]), NOW)).toEqual({ from: null, days: 90, entering: 7 });
    // An audience whose startAt cannot be read yet (half typed) falls back to the last days.
    expect(simulationWindow(audience('soon'), NOW)).toEqual({ from: null, days: 8, entering: 7 });
    expect(simulationWords('zh', { days: 10, from: '2026-11-23T04:00:00.000Z', summary: {}, report: { enrollments: { active: 0, completed: 2, exited: 1 }, nodes: [], sends: [] }, funnel: null }, reminder)[0]).toBe('模拟最近 7 天进入的顾客（再往后模拟 3 天，让他们走完旅程）：3 位顾客进入旅程');
  });

  it('says the window while running and in the result', () => {
    const f = audience('2026-10-27T09:00:00+08:00');
    expect(runningWords('zh', f, NOW, 'Asia/Shanghai')).toBe('模拟一次性人群开始时（2026/10/27 09:00）起的 7 天（在店铺数据的副本上，不会真的发送）');
    const r = { days: 7, from: '2026-10-27T01:00:00.000Z', summary: {}, report: { enrollments: { active: 3, completed: 0, exited: 0 }, nodes: [], sends: [] }, funnel: null };
    expect(simulationWords('zh', r, f, 'Asia/Shanghai')[0]).toBe('模拟一次性人群开始时（2026/10/27 09:00）起的 7 天：3 位顾客进入旅程');
    expect(simulationWords('en', { ...r, from: '2026-11-23T04:00:00.000Z' }, f, 'Asia/Shanghai')[0]).toBe('Simulated the last 7 days: 3 customers entered');
  });
});

describe('the longest journey through a flow (journey-length.ts)', () => {
  it('parallel branches count once: a 30-day arm beside a 40-day arm is 40 days, not 70 (the window 41 days, not 71)', () => {
    const f = eventFlow([
      { id: 'ab', type: 'split', arms: [{ id: 'a', weight: 50, next: 'w30' }, { id: 'b', weight: 50, next: 'w40' }] },
      { id: 'w30', type: 'wait', duration: '30d', next: 'sms' },
      { id: 'w40', type: 'wait', duration: '40d', next: 'sms' },
      { id: 'sms', type: 'send', channel: 'sms', template: 'hi', next: 'done' },
    ]);
    expect(longestJourney(f, NOW)).toBe(40 * DAY);
    expect(simulationWindow(f, NOW)).toEqual({ from: null, days: 48, entering: 7 });
  });

  it('follows the longest path through conditions and response windows, not the sum of every node', () => {
    const f = eventFlow([
      { id: 'paid?', type: 'waitForEvent', events: ['order_paid'], within: '1d', responded: 'thanks', timedOut: 'again' },
      { id: 'thanks', type: 'wait', duration: '3d', next: 'done' },
      { id: 'again', type: 'wait', duration: '2h', next: 'vip?' },
      { id: 'vip?', type: 'condition', yes: 'long', no: 'done' },
      { id: 'long', type: 'wait', duration: '5d', next: 'done' },
    ]);
    // 1d + 2h + 5d beats 1d + 3d; the sum of all (1d + 3d + 2h + 5d) would be 9d2h.
    expect(longestJourney(f, NOW)).toBe(6 * DAY + 2 * 3_600_000);
  });

  it('a wait until a date ends at that date on every path; a wait after it counts from there', () => {
    const f = audience('2026-10-27T09:00:00+08:00', [
      { id: 'w2', type: 'wait', duration: '2d' },
      { id: 'd11', type: 'wait', untilDate: '2026-11-10T22:00:00+08:00' },
      { id: 'after', type: 'wait', duration: '3d' },
    ]);
    expect(longestJourney(f, Date.parse('2026-10-27T09:00:00+08:00'))).toBe(Date.parse('2026-11-13T22:00:00+08:00') - Date.parse('2026-10-27T09:00:00+08:00'));
  });

  it('a retry loop through a wait is followed once, not forever; nodes nobody reaches do not count', () => {
    const f = eventFlow([
      { id: 'sms', type: 'send', channel: 'sms', template: 'hi', next: 'answer?' },
      { id: 'answer?', type: 'waitForEvent', events: ['link_clicked'], within: '2d', responded: 'done', timedOut: 'pause' },
      { id: 'pause', type: 'wait', duration: '3d', next: 'sms' },
      { id: 'orphan', type: 'wait', duration: '80d', next: 'done' },
    ]);
    expect(longestJourney(f, NOW)).toBe(5 * DAY);
    expect(longestJourney({ id: 'x', name: 'x', nodes: [{ id: 'w', type: 'wait', duration: '9d' }] }, NOW)).toBe(0);
  });
});
