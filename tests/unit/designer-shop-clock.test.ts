import { describe, expect, it } from '@jest/globals';
import { formatClock, formatDateTime } from '../../designer/src/model/format.js';
import { intakeWords } from '../../designer/src/model/intake-words.js';

// 04:28:31 UTC: the browser's clock on a laptop set to UTC; the shop (Asia/Shanghai) reads 12:28:31.
const READ = Date.parse('2026-12-02T04:28:31Z');

describe("the editor's live-numbers note and intake line say the shop's time, as its versions do", () => {
  it('formats the time of day in the shop time zone, whatever the browser is set to', () => {
    expect(formatClock(READ, 'Asia/Shanghai', true)).toBe('12:28:31');
    expect(formatClock(READ, 'Asia/Shanghai')).toBe('12:28');
    expect(formatClock(READ, 'Europe/Berlin', true)).toBe('05:28:31');
    expect(formatClock(READ)).toBe('12:28'); // no shop answer yet: the default shop zone, as formatDateTime
    expect(formatClock(Date.parse('2026-12-01T16:00:05Z'), 'Asia/Shanghai', true)).toBe('00:00:05'); // midnight is 00, not 24
    // The same clock as a version's time beside it.
    expect(formatDateTime('zh', READ, 'Asia/Shanghai').slice(-5)).toBe(formatClock(READ, 'Asia/Shanghai'));
  });

  it("says the intake window's start in the shop's zone", () => {
    const row = { flowId: 'p', event: 'order_created', pending: 0, oldestPendingAgeMs: null, matched: 5, enrolled: 5, lastLagMs: 300, recentMaxLagMs: 2500, maxLagMs: 2500 };
    const window = { minutes: 15, since: new Date(READ).toISOString() };
    expect(intakeWords('zh', row, undefined, window, 'Asia/Shanghai')).toContain('近 15 分钟（12:28 起）');
    expect(intakeWords('zh', row, undefined, window, 'America/New_York')).toContain('近 15 分钟（23:28 起）');
  });
});
