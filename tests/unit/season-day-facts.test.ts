import { describe, expect, it } from '@jest/globals';
import { dayFacts, formatSeasonKey, isDouble11Day, localDate, seasonKeyOf } from '../../server/src/core/facts/season.js';

/** dayFacts caches per local day what addOrder needs: it must equal the uncached functions everywhere. */
describe('dayFacts', () => {
  it.each(['Asia/Shanghai', 'Asia/Kolkata', 'Asia/Kathmandu', 'America/New_York', 'UTC'])('equals season key, local year and Double 11 day of every instant in %s', (tz) => {
    // Every 37 minutes for 15 months (DST changes, half-hour offsets, a new year and 11 November included), twice (cached).
    const from = Date.parse('2024-10-01T00:00:00Z');
    const wrong: string[] = [];
    for (let round = 0; round < 2; round++) {
      for (let ms = from; ms < from + 460 * 86_400_000; ms += 37 * 60_000) {
        const f = dayFacts(ms, tz);
        const want = { seasonKey: formatSeasonKey(seasonKeyOf(ms, tz)), year: String(localDate(ms, tz).year), double11: isDouble11Day(ms, tz) };
        if (f.seasonKey !== want.seasonKey || f.year !== want.year || f.double11 !== want.double11) wrong.push(`${new Date(ms).toISOString()}: ${JSON.stringify(f)} != ${JSON.stringify(want)}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
