import { MS_PER_DAY } from '../clock.js';
import { localDate } from '../facts/season.js';

/** Offset of a time zone from UTC at an instant, in ms (e.g. +8 h for Asia/Shanghai). */
export function zoneOffset(ms: number, timezone: string): number {
  const f = new Intl.DateTimeFormat('en-US', { timeZone: timezone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
  const p = Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** The instant of local wall-clock time y-m-d HH:MM in a time zone. */
export function zonedInstant(year: number, month: number, day: number, hour: number, minute: number, timezone: string): number {
  const guess = Date.UTC(year, month - 1, day, hour, minute);
  return guess - zoneOffset(guess - zoneOffset(guess, timezone), timezone);
}

/** The first instant strictly after `from` when the local clock shows HH:MM. */
export function nextLocalTime(from: number, hhmm: string, timezone: string): number {
  const [hour, minute] = hhmm.split(':').map(Number);
  const d = localDate(from, timezone);
  let t = zonedInstant(d.year, d.month, d.day, hour, minute, timezone);
  while (t <= from) t += MS_PER_DAY;
  return t;
}
