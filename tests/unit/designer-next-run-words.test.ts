import { describe, expect, it } from '@jest/globals';
import { nobodyEntered } from '../../designer/src/model/counts.js';
import { nextRunWords, pausedRunWords } from '../../designer/src/model/next-run-words.js';

/** The line beside a scheduled journey's live numbers: when it next runs, in shop time, and what it draws. */
describe('next run words', () => {
  const next = { at: Date.parse('2026-11-21T10:00:00+08:00'), timezone: 'Asia/Shanghai', trigger: { type: 'schedule', segment: 'pre-sleep', every: 'day', at: '10:00' } };
  it('says the time in the shop time zone, whatever the browser, and the segment by its title', () => {
    const titles = new Map([['pre-sleep', '即将沉睡（预流失）']]);
    expect(nextRunWords('zh', next, true, titles)).toBe('还没有顾客进入，这里暂时都是 0。下次运行：2026/11/21 10:00（店铺时间，Asia/Shanghai）：圈选人群「即将沉睡（预流失）」（每天 10:00 一次），符合条件的顾客进入旅程');
    expect(nextRunWords('zh', { ...next, trigger: { type: 'schedule', segment: 'x', every: 'hour', at: '00:15' } }, false)).toBe('下次运行：2026/11/21 10:00（店铺时间，Asia/Shanghai）：圈选人群「x」（每小时第 15 分一次），符合条件的顾客进入旅程');
  });
  it('counts nobody entered only when every figure is 0', () => {
    expect(nobodyEntered([{ nodeId: 'start', outcomes: {}, waiting: 0 }])).toBe(true);
    expect(nobodyEntered([{ nodeId: 'wait', outcomes: {}, waiting: 3 }])).toBe(false);
  });
});

describe('a paused scheduled journey says what the pause does to its runs (walk-mkt: 下次运行 went on after 暂停)', () => {
  it('says the runs stop, and that resuming after a missed run makes it at once, once; a one-off audience enters at resume if its start passed', () => {
    expect(pausedRunWords('zh', { type: 'schedule', segment: 'sleeping-reactivation-candidates', every: 'day', at: '09:00' }, new Map([['sleeping-reactivation-candidates', '沉睡唤醒候选客户']]))).toBe(
      '已暂停：圈选人群「沉睡唤醒候选客户」（每天 09:00 一次）暂停期间不会运行，没有顾客进入，旅程中的顾客停在原处。继续运行时如果已经错过了圈选时间，会在继续运行的那一刻立即补圈一次（只补一次），之后按时运行',
    );
    expect(pausedRunWords('zh', { type: 'audience', segment: 'd11-audience', startAt: '2027-10-27T09:00:00+08:00' })).toBe(
      '已暂停：圈选一次性人群「d11-audience」（只运行这一次）暂停期间不会进入，旅程中的顾客停在原处。如果开始时间在暂停期间到了，会在继续运行的那一刻立即进入',
    );
    expect(pausedRunWords('en', { type: 'schedule', segment: 'pre-sleep', every: 'hour', at: '00:15' })).toMatch(/^Paused: the run that draws the segment "pre-sleep" \(hourly at minute 15\) does not happen while paused.*one catch-up run/);
    // An event entry: the intake line says its pause.
    expect(pausedRunWords('zh', { type: 'event', event: 'order_created' })).toBeNull();
    expect(pausedRunWords('zh', undefined)).toBeNull();
  });
});

