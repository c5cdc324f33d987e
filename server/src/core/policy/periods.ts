import { MS_PER_DAY } from '../clock.js';
import { localDate } from '../facts/season.js';
import { zonedInstant } from '../engine/local-time.js';
import type { QuietHours } from './schema.js';

/**
 * The last answer of periodBounds per period, and of quietUntil per quiet-hours window: the policy
 * review asks both for every send of a batch at the batch's one instant (bench/engine: 200,000
 * sends, each a local date and two or three zoned instants before). Pure functions of their
 * arguments, so the answer for the same arguments is the same.
 */
const lastBounds = new Map<string, { at: number; timezone: string; bounds: { start: number; end: number } }>();
const lastQuiet = new WeakMap<QuietHours, { at: number; timezone: string; from: string; to: string; until: number | null }>();

/** Start and end of the calendar day/week (Monday)/month containing `at`, in the shop time zone (read-only: the answer is shared). */
export function periodBounds(at: number, period: 'day' | 'week' | 'month', timezone: string): { start: number; end: number } {
  const last = lastBounds.get(period);
  if (last && last.at === at && last.timezone === timezone) return last.bounds;
  const bounds = computeBounds(at, period, timezone);
  lastBounds.set(period, { at, timezone, bounds });
  return bounds;
}

function computeBounds(at: number, period: 'day' | 'week' | 'month', timezone: string): { start: number; end: number } {
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
  const last = lastQuiet.get(q);
  if (last && last.at === at && last.timezone === timezone && last.from === q.from && last.to === q.to) return last.until;
  const until = computeQuietUntil(at, q, timezone);
  lastQuiet.set(q, { at, timezone, from: q.from, to: q.to, until });
  return until;
}

function computeQuietUntil(at: number, q: QuietHours, timezone: string): number | null {
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
