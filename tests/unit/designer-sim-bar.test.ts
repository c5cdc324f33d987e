import { describe, expect, it } from '@jest/globals';
import { simBarButtons, simBarLine } from '../../designer/src/model/sim-bar.js';

/** Walkthrough (26-sim-result): the results panel covered cards and edge labels; folded, it is one line. */
describe('the simulation results folded to one line', () => {
  it('keeps how many entered, without the window words', () => {
    expect(simBarLine(['模拟最近 7 天进入的顾客（再往后模拟 4 天，让他们走完旅程）：4,936 位顾客进入旅程', '3,953 条消息会发出'])).toBe('4,936 位顾客进入旅程');
    expect(simBarLine(['Simulated the last 7 days: 4,936 customers entered'])).toBe('4,936 customers entered');
    expect(simBarLine([])).toBe('');
  });

  it('offers 收起 and 展开', () => {
    expect(simBarButtons('zh')).toEqual({ collapse: '收起', expand: '展开' });
  });
});
