import { describe, expect, it } from '@jest/globals';
import { gapLines } from '../../server/src/cli/commands/simulate.js';

/** `simulate` says what lay between the shop's data and the start: lived through on a copy, or warned about on the user's own database. */
describe("simulate's words for the time between the shop's data and the start", () => {
  const end = Date.parse('2026-12-01T12:43:00+08:00');
  const start = Date.parse('2027-10-27T09:00:00+08:00');
  it('says what the copy did until the start', () => {
    const [line] = gapLines({ dataEnd: end, start, buyers: 10235, orders: 18599, revenue: 5023125.24, unpaidClosed: 524, unpaidPlaced: 341 }, null, start, 'Asia/Shanghai');
    expect(line).toBe("the shop's orders end 2026-12-01 12:43 +08:00, 330 day(s) before the start: the copy lived until then — 10235 customers paid 18599 orders worth ¥5,023,125.24 (each at their own rate from their order history, or --baseline-rate), 524 orders left unpaid over two days closed, 341 placed and not yet paid in the last two days (--baseline-rate 0: none of this)");
  });
  it('warns on a database it did not copy, and says nothing when the data reaches the start', () => {
    expect(gapLines(null, end, start, 'Asia/Shanghai')[0]).toMatch(/^warning: the shop's orders end 2026-12-01 12:43 \+08:00, 330 day\(s\) before the start, and nobody bought in between: .*--copy-of/);
    expect(gapLines(null, start - 3_600_000, start, 'Asia/Shanghai')).toEqual([]);
    expect(gapLines(null, null, start, 'Asia/Shanghai')).toEqual([]);
  });
});
