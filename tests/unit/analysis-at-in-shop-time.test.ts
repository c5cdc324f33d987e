import { describe, expect, it } from '@jest/globals';
import { lifecycleReport, rfmReport } from '../../server/src/core/analysis/report.js';
import { formatLifecycle } from '../../server/src/core/analysis/text-report.js';

describe('analysis reports', () => {
  it('say their instant in the shop time zone with its offset', () => {
    const input = {
      at: Date.parse('2026-11-30T23:03:21Z'),
      timezone: 'Asia/Shanghai',
      intervals: { customers: 0, repeatCustomers: 0, sameDayMerged: 0, days: [] },
      customers: [],
      current: { activeDays: 30, silentDays: 90, sleepingDays: 180 },
    };
    const l = lifecycleReport(input as never);
    expect(l.at).toBe('2026-12-01T07:03:21+08:00');
    expect(rfmReport(input as never).at).toBe('2026-12-01T07:03:21+08:00');
    expect(formatLifecycle(l).split('\n')[0]).toBe('Lifecycle analysis at 2026-12-01T07:03:21+08:00');
  });
});
