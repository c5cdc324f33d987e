import { zonedInstant } from '../engine/local-time.js';
import { localDate } from './season.js';

/** How many past Double 11s the "missed" count looks back over (older ones are not counted). */
export const DOUBLE11_LOOKBACK_YEARS = 15;

export interface Double11Calendar {
  /** The most recent Double 11 that is over at `at` (11 Nov of this year once it ended, else last year's). */
  lastYear: number;
  /** Past Double 11s, newest first: year and the instant it ended (12 Nov 00:00 shop time). */
  past: { year: number; endsAt: number }[];
}

let memo: { at: number; timezone: string; cal: Double11Calendar } | null = null;

/**
 * The Double 11s before `at`, in the shop's time zone. Campaign groups read them relative to the
 * moment the rule runs ("bought at last year's Double 11", "never missed one"), so a flow needs no
 * year written into it and works the same next year.
 */
export function double11Calendar(at: number, timezone: string): Double11Calendar {
  if (memo && memo.at === at && memo.timezone === timezone) return memo.cal;
  const d = localDate(at, timezone);
  const over = d.month === 12 || (d.month === 11 && d.day > 11);
  const lastYear = over ? d.year : d.year - 1;
  const past = Array.from({ length: DOUBLE11_LOOKBACK_YEARS }, (_, i) => ({ year: lastYear - i, endsAt: zonedInstant(lastYear - i, 11, 12, 0, 0, timezone) }));
  const cal = { lastYear, past };
  memo = { at, timezone, cal };
  return cal;
}

/**
 * Double 11s the customer could have bought at (they had bought from the shop before it ended)
 * but did not; null for a customer who never bought. Within the look-back window.
 */
export function double11Missed(firstOrderAt: number | null, double11Years: readonly string[], cal: Double11Calendar): number | null {
  if (firstOrderAt === null) return null;
  let missed = 0;
  for (const p of cal.past) if (firstOrderAt < p.endsAt && !double11Years.includes(String(p.year))) missed++;
  return missed;
}
