import { formatShopTime } from '../engine/local-time.js';

/**
 * A report "as of" an instant that has not come yet counts the logs as they are today and stamps
 * them with that date: `rekindle report new-product-launch --at 2030-01-01` gave the full figures
 * as of 2030, which read like a forecast and are none. `latest` is "now" as the report reads it
 * without an instant (persistence/report-time.ts experimentResponsesTime: the clock, or on a
 * simulation's copy the simulation's end), so a copy can still be read as of any of its own days.
 *
 * Returns the problem in words naming `field` (`at`, `--at`), or null when `at` is not later.
 */
export function futureAsOfProblem(at: number, latest: number, field: string, timezone: string): string | null {
  if (at <= latest) return null;
  return `${field}: ${formatShopTime(at, timezone)} is later than now (${formatShopTime(latest, timezone)}, the newest the report can count up to): a report counts what has happened, so ask for an instant up to now`;
}
