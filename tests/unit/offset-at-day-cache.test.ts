import { describe, expect, it, jest } from '@jest/globals';
import { offsetAt } from '../../server/src/core/facts/season.js';

/** The offset straight from Intl at the start of the instant's UTC hour (what offsetAt caches per hour). */
const formats = new Map<string, Intl.DateTimeFormat>();
function intlOffset(ms: number, tz: string): number {
  const at = Math.floor(ms / 3_600_000) * 3_600_000;
  let f = formats.get(tz);
  if (!f) formats.set(tz, (f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' })));
  const p = Object.fromEntries(f.formatToParts(new Date(at)).map((x) => [x.type, x.value]));
  return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute)) - at;
}

/**
 * offsetAt caches a whole UTC day's offset when the day has no transition (two Intl calls a day
 * instead of one an hour: an import's orders fall on far fewer days than hours); on a day with a
 * transition it must still give each hour its own offset.
 */
describe('offsetAt cached per day', () => {
  it.each(['America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'America/St_Johns', 'Asia/Shanghai', 'Asia/Kathmandu'])('gives every hour its own offset across DST transitions in %s', (tz) => {
    // Every 47 minutes for 14 months (both transitions of two years' DST included), in a random day order first so
    // that the day cache is filled from any hour of a day, then in order.
    const from = Date.parse('2025-01-01T00:00:00Z');
    const instants: number[] = [];
    for (let ms = from; ms < from + 425 * 86_400_000; ms += 47 * 60_000) instants.push(ms);
    const key = (ms: number) => (ms / 60_000) * 7919 % 10007;
    const shuffled = [...instants].sort((a, b) => key(a) - key(b));
    const wrong: string[] = [];
    for (const ms of [...shuffled, ...instants]) {
      const want = intlOffset(ms, tz);
      if (offsetAt(ms, tz) !== want) wrong.push(`${new Date(ms).toISOString()}: ${offsetAt(ms, tz)} != ${want}`);
    }
    expect(wrong.slice(0, 5)).toEqual([]);
  });

  it('asks Intl twice a day, not once an hour, on days without a transition', () => {
    const tz = 'Asia/Shanghai';
    const spy = jest.spyOn(Intl.DateTimeFormat.prototype, 'formatToParts');
    try {
      // 3,000 instants over 30 days of 2031 (not cached by another test): up to 720 hours, 30 days.
      const from = Date.parse('2031-03-01T00:00:00Z');
      for (let i = 0; i < 3000; i++) offsetAt(from + ((i * 7919) % 3000) * 864_000, tz);
      expect(spy.mock.calls.length).toBeLessThanOrEqual(60);
    } finally {
      spy.mockRestore();
    }
  });
});
