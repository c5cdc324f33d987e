import { describe, expect, it } from '@jest/globals';
import { nobodyEntered } from '../../designer/src/model/counts.js';
import { nextRunWords } from '../../designer/src/model/next-run-words.js';

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
