import { MS_PER_DAY } from '../clock.js';
import { localDate } from '../facts/season.js';
import { zonedInstant } from '../engine/local-time.js';
import type { QuietHours } from './schema.js';

/** Start and end of the calendar day/week (Monday)/month containing `at`, in the shop time zone. */
export function periodBounds(at: number, period: 'day' | 'week' | 'month', timezone: string): { start: number; end: number } {
  const d = localDate(at, timezone);
  if (period === 'month') {
    const start = zonedInstant(d.year, d.month, 1, 0, 0, timezone);
    const end = d.month === 12 ? zonedInstant(d.year + 1, 1, 1, 0, 0, timezone) : zonedInstant(d.year, d.month + 1, 1, 0, 0, timezone);
    return { start, end };
  }
  const dayStart = zonedInstant(d.year, d.month, d.day, 0, 0, timezone);
  if (period === 'day') return { start: dayStart, end: zonedInstant(d.year, d.month, d.day + 1, 0, 0, timezone) };
  const weekday = (new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay() + 6) % 7; // Monday = 0
  const start = zonedInstant(d.year, d.month, d.day - weekday, 0, 0, timezone);
  return { start, end: zonedInstant(d.year, d.month, d.day - weekday + 7, 0, 0, timezone) };
}

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * When quiet hours hold at `at`, the instant they end (the next allowed moment); otherwise null.
 * A window such as 21:00–09:00 wraps past midnight.
 */
export function quietUntil(at: number, q: QuietHours, timezone: string): number | null {
  const from = minutes(q.from);
  const to = minutes(q.to);
  if (from === to) return null;
  const d = localDate(at, timezone);
  const midnight = zonedInstant(d.year, d.month, d.day, 0, 0, timezone);
  const now = Math.floor((at - midnight) / 60_000);
  const inside = from < to ? now >= from && now < to : now >= from || now < to;
  if (!inside) return null;
  const endDay = from > to && now >= from ? d.day + 1 : d.day;
  const end = zonedInstant(d.year, d.month, endDay, Math.floor(to / 60), to % 60, timezone);
  return end > at ? end : end + MS_PER_DAY;
}
