import { checkInstantText } from './data/input-limits.js';

/**
 * An instant a person typed (`--at`, `--from`, `--now`, `?at=`, a simulation's `from`). Without an
 * offset it is the shop's wall clock and a date alone the shop's midnight, as in imports and the
 * event API: a UTC server (`Date.parse`) read `--at 2026-11-11T21:00` eight hours late in
 * Asia/Shanghai, and the same command gave other answers on a server set to Beijing time.
 * Throws a message naming the option and the value.
 */
export function parseShopInstant(value: string, what: string, timezone: string): number {
  const r = checkInstantText(value, timezone);
  if ('error' in r) throw new Error(`${what}: "${value}" is not an ISO-8601 date or time (e.g. 2026-11-01, 2026-11-01 09:00 in the shop's time zone ${timezone}, or 2026-11-01T09:00:00+08:00)`);
  return r.ms;
}
