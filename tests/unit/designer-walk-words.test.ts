import { describe, expect, it } from '@jest/globals';
import { triggerWords } from '../../designer/src/model/summary.js';

/** What the cards said that a marketer building a Double-11 journey from scratch tripped over. */
describe('a one-off audience card before its start time is set', () => {
  it('says 未设开始时间, not an empty （ ）', () => {
    expect(triggerWords('zh', { type: 'audience', segment: 'd11-audience' })).toBe('一次性人群：d11-audience（未设开始时间）');
    expect(triggerWords('en', { type: 'audience', segment: 'd11-audience' })).toBe('One-off audience: d11-audience (no start time yet)');
    expect(triggerWords('zh', { type: 'audience', segment: 'd11-audience', startAt: '2027-11-01T09:00:00+08:00' }, 'Asia/Shanghai')).toBe('一次性人群：d11-audience（2027/11/01 09:00）');
  });
});
