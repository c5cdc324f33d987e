import { describe, expect, it } from '@jest/globals';
import { checkInstantText, checkJsonSize, MAX_PROPERTIES_BYTES } from '../../server/src/core/data/input-limits.js';

/**
 * Two shortcuts of the event checks (batch intake): a month's days by arithmetic instead of a
 * Date, and short properties not measured in UTF-8 bytes. Each must answer as the long way does.
 */
describe('input limits answer as the Date and the byte count they skip', () => {
  it('accepts the last day of every month and refuses the day after, as Date counts them (years 0-99 included)', () => {
    const years = [0, 4, 99, 100, 1600, 1700, 1899, 1900, 2000, 2100, 2400, 9999];
    for (let y = 1988; y <= 2102; y++) years.push(y);
    for (const year of years) {
      for (let month = 1; month <= 12; month++) {
        const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
        const ymd = (d: number) => `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(d).padStart(2, '0')}T00:00:00Z`;
        expect(checkInstantText(ymd(days), 'UTC')).toHaveProperty('ms');
        expect(checkInstantText(ymd(days + 1), 'UTC')).toHaveProperty('error');
      }
    }
  });

  it('refuses properties over the limit in UTF-8 bytes, also when their text is short in characters', () => {
    const limit = MAX_PROPERTIES_BYTES;
    // '好' is 3 bytes: a third of the limit in characters is at the limit.
    expect(checkJsonSize({ s: '好'.repeat(Math.floor(limit / 3) - 10) })).toBeNull();
    expect(checkJsonSize({ s: '好'.repeat(Math.floor(limit / 3) + 10) })).toMatch(/too large/);
    expect(checkJsonSize({ s: 'a'.repeat(limit - 20) })).toBeNull();
    expect(checkJsonSize({ s: 'a'.repeat(limit) })).toMatch(/too large/);
    // Four-byte characters are two UTF-16 units.
    expect(checkJsonSize({ s: '😀'.repeat(Math.floor(limit / 4) + 10) })).toMatch(/too large/);
  });
});
