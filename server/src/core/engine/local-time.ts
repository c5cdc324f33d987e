import { MS_PER_DAY } from '../clock.js';
import { localDate, offsetAt } from '../facts/season.js';

/**
 * Offset of a time zone from UTC at an instant, in ms (e.g. +8 h for Asia/Shanghai). Cached per
 * hour (offsets change on the hour): a new Intl.DateTimeFormat per call was 57% of the stepping
 * time with the contact policy on (every cap period and quiet-hour window asks for it).
 */
export function zoneOffset(ms: number, timezone: string): number {
  return offsetAt(ms, timezone);
}

/** The instant of local wall-clock time y-m-d HH:MM in a time zone. */
export function zonedInstant(year: number, month: number, day: number, hour: number, minute: number, timezone: string): number {
  return instantOfWallClock(Date.UTC(year, month - 1, day, hour, minute), timezone);
}

/** The instant at which the clock in `timezone` shows `wall` (wall-clock time written as if it were UTC ms). */
export function instantOfWallClock(wall: number, timezone: string): number {
  return wall - zoneOffset(wall - zoneOffset(wall, timezone), timezone);
}

/** The first instant strictly after `from` when the local clock shows HH:MM. */
export function nextLocalTime(from: number, hhmm: string, timezone: string): number {
  const [hour, minute] = hhmm.split(':').map(Number);
  const d = localDate(from, timezone);
  let t = zonedInstant(d.year, d.month, d.day, hour, minute, timezone);
  while (t <= from) t += MS_PER_DAY;
  return t;
}

/** An instant as the shop's wall clock with its offset: "2026-11-05 10:00 +08:00" (for people). */
export function formatShopTime(ms: number, timezone: string): string {
  const off = zoneOffset(ms, timezone);
  const local = new Date(ms + off).toISOString();
  const sign = off < 0 ? '-' : '+';
  const mins = Math.abs(off) / 60_000;
  return `${local.slice(0, 10)} ${local.slice(11, 16)} ${sign}${String(Math.floor(mins / 60)).padStart(2, '0')}:${String(mins % 60).padStart(2, '0')}`;
}

/**
 * An instant as ISO 8601 in the shop's wall clock with its offset, to the second:
 * "2025-11-20T19:13:48+08:00" (exports: right for people in the shop, exact for machines).
 */
export function shopIsoTime(ms: number, timezone: string): string {
  const off = zoneOffset(ms, timezone);
  const local = new Date(Math.floor(ms / 1000) * 1000 + off).toISOString();
  const sign = off < 0 ? '-' : '+';
  const mins = Math.abs(off) / 60_000;
  return `${local.slice(0, 19)}${sign}${String(Math.floor(mins / 60)).padStart(2, '0')}:${String(mins % 60).padStart(2, '0')}`;
}
