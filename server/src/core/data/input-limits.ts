import { formatShopTime, instantOfWallClock } from '../engine/local-time.js';

/**
 * Limits every value entering the shop's data must respect (import rows, REST bodies): real
 * calendar dates within a plausible span, ids without control characters, bounded property sizes.
 * Each check returns the message a user reads next to the field, or null when the value is fine.
 */

/** Event and order times must fall in this span: no year −1 or 275760, which would fire reminders at once or never. */
export const EARLIEST_INSTANT = Date.UTC(1990, 0, 1);
export const LATEST_INSTANT = Date.UTC(2100, 0, 1);
export const MAX_PROPERTIES_BYTES = 64 * 1024;
export const MAX_ID_LENGTH = 128;

const ISO = /^([+-]?\d{4,6})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(year: number, month: number): number {
  // Date.UTC reads years 0-99 as 1900-1999: those keep the Date's answer, as always.
  if (year < 100) return new Date(Date.UTC(year, month, 0)).getUTCDate();
  // Arithmetic for the rest (a Date a parsed event was a visible share of batch intake): the Gregorian rule, as Date's.
  return month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : MONTH_DAYS[month - 1];
}

/**
 * What makes a calendar date and time of day impossible (2026-11-31, month 13, 24:30), or null when
 * it is a real one: the one check of every import's date-time reader (checkInstantText here, the
 * Taobao export's localTime), each saying it in its own words.
 */
export type ImpossibleCalendar = { month: number } | { days: number } | { time: true };

export function impossibleCalendar(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): ImpossibleCalendar | null {
  if (month < 1 || month > 12) return { month };
  if (day < 1 || day > daysInMonth(year, month)) return { days: daysInMonth(year, month) };
  if (hour > 23 || minute > 59 || second > 59) return { time: true };
  return null;
}

/**
 * Epoch ms of an ISO-8601 date/time (or `YYYY-MM-DD hh:mm:ss`), refusing impossible calendar dates.
 * Text with Z or an offset is that instant. Text without one is the shop's wall clock in
 * `timezone` (a date alone: its midnight there): shop systems and Excel write Beijing time
 * without an offset, and reading it in the server's own zone made the stored instant depend on
 * the host (8 h off on a UTC server: Double 11 evening orders fell on 12 November).
 */
export function checkInstantText(v: string, timezone: string): { ms: number } | { error: string } {
  const s = v.trim();
  const m = ISO.exec(s);
  if (!m) return { error: `not a date/time: "${s.slice(0, 60)}"` };
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const impossible = impossibleCalendar(year, month, day, Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0));
  if (impossible && 'month' in impossible) return { error: `not a date: "${s.slice(0, 60)}" has month ${m[2]}` };
  if (impossible && 'days' in impossible) return { error: `not a date: "${s.slice(0, 60)}" — ${year}-${m[2]} has ${impossible.days} days` };
  if (impossible) return { error: `not a time: "${s.slice(0, 60)}"` };
  const wall = new Date(0);
  wall.setUTCFullYear(year, month - 1, day); // setUTCFullYear, not Date.UTC: years 0-99 stay themselves
  wall.setUTCHours(Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3)));
  let ms = wall.getTime();
  const zone = m[8];
  if (zone === undefined) ms = instantOfWallClock(ms, timezone);
  else if (zone.toUpperCase() !== 'Z') {
    const z = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone)!;
    if (Number(z[2]) > 23 || Number(z[3] ?? 0) > 59) return { error: `not a time zone offset: "${s.slice(0, 60)}"` };
    ms -= (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3] ?? 0)) * 60_000;
  }
  if (!Number.isFinite(ms)) return { error: `not a date/time: "${s.slice(0, 60)}"` };
  return { ms };
}

/** The span every stored time must fall in, in words (checkInstantRange's, and the Taobao export's with the cell as written). */
export const INSTANT_SPAN_WORDS = 'times must fall between 1990-01-01 and 2100-01-01';

/** Whether a time falls in the span every stored time must (EARLIEST_INSTANT up to LATEST_INSTANT). */
export function instantInRange(ms: number): boolean {
  return Number.isFinite(ms) && ms >= EARLIEST_INSTANT && ms < LATEST_INSTANT;
}

export function checkInstantRange(ms: number): string | null {
  if (!Number.isFinite(ms)) return 'not a finite time';
  if (!instantInRange(ms)) return `out of range: ${Number.isFinite(new Date(ms).getTime()) ? new Date(ms).toISOString() : ms} — ${INSTANT_SPAN_WORDS}`;
  return null;
}

/** Control characters (NUL, newlines, escapes…) have no place in an id: they break exports, logs and lookups. */
export function checkIdText(v: string): string | null {
  // eslint-disable-next-line no-control-regex
  const c = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.exec(v);
  if (c) return `contains a control character (U+${c[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}) at position ${c.index + 1}`;
  return null;
}

/** Size of a JSON value when stored; stops counting past the limit. */
export function checkJsonSize(value: unknown, limit = MAX_PROPERTIES_BYTES): string | null {
  let text: string;
  try {
    text = JSON.stringify(value) ?? '';
  } catch {
    return 'cannot be stored as JSON';
  }
  return checkJsonTextSize(text, limit);
}

/** checkJsonSize of a value's JSON text already made (`JSON.stringify(value)`): for callers that store that text. */
export function checkJsonTextSize(text: string, limit = MAX_PROPERTIES_BYTES): string | null {
  // A UTF-16 unit is at most 3 bytes of UTF-8: short text cannot be over the limit, so it is not measured.
  if (text.length * 3 <= limit) return null;
  const bytes = Buffer.byteLength(text, 'utf8');
  return bytes > limit ? `too large: ${Math.ceil(bytes / 1024)} KB (at most ${limit / 1024} KB)` : null;
}

/**
 * How far before its createdAt an order's paidAt may be stamped and still be read as "paid at
 * creation". The order and the payment (Alipay, WeChat Pay) are stamped by different systems
 * whose clocks drift apart by seconds, sometimes a minute or two, and a quick payment lands
 * right after the order: such rows are real and must import. Five minutes covers that skew
 * while a swapped column, a wrong day or a time zone mistake (hours: +08:00 read as UTC) is
 * still refused.
 */
export const PAID_BEFORE_CREATED_TOLERANCE_MS = 5 * 60_000;

/**
 * An order cannot be paid before it was created: order_paid earlier than order_created breaks
 * time-to-pay figures and the payment reminders' order of events. Returns the message for the
 * paidAt field, or null when paidAt is at or after createdAt (or within the skew tolerance).
 */
export function checkPaidAfterCreated(createdAt: number, paidAt: number, timezone: string): string | null {
  if (paidAt >= createdAt - PAID_BEFORE_CREATED_TOLERANCE_MS) return null;
  return `${formatShopTime(paidAt, timezone)} is before createdAt ${formatShopTime(createdAt, timezone)}: an order cannot be paid before it was created (up to ${PAID_BEFORE_CREATED_TOLERANCE_MS / 60_000} minutes of clock skew is accepted)`;
}
