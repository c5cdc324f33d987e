import { describe, expect, it } from '@jest/globals';
import { lifecycleReport } from '../../server/src/core/analysis/report.js';
import { formatLifecycle } from '../../server/src/core/analysis/text-report.js';

describe('text output', () => {
  it('rounds a mean for people (JSON keeps the number)', () => {
    const l = lifecycleReport({ at: 0, intervals: { customers: 3, repeatCustomers: 3, sameDayMerged: 0, days: [1, 2, 4] }, customers: [], current: { activeDays: 30, silentDays: 90, sleepingDays: 180 } } as never);
    expect(l.intervals.distribution.mean).toBeCloseTo(2.3333, 3);
    expect(formatLifecycle(l)).toContain('  mean 2.3 days, median');
  });
});
