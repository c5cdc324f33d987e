/**
 * The instant of a time written exactly as `Date.prototype.toISOString` writes it,
 * `YYYY-MM-DDThh:mm:ss.sssZ` (what feeds built on JavaScript send), read digit by digit: the
 * general reader (input-limits.ts checkInstantText: trim, a regular expression with eight groups,
 * a Date set field by field) was the largest single share of a batched event's validation in
 * the events API's parser thread. Anything else — another form, an offset, a space, a year
 * before 1000, an impossible date or time — answers null and goes to checkInstantText, which
 * stays the one definition (and writes every message); tests/unit/utc-iso-instant.test.ts pins
 * that whatever this reads, checkInstantText reads alike.
 */
export function utcIsoInstant(s: string): number | null {
  if (s.length !== 24 || s.charCodeAt(4) !== 0x2d || s.charCodeAt(7) !== 0x2d || s.charCodeAt(10) !== 0x54 || s.charCodeAt(13) !== 0x3a || s.charCodeAt(16) !== 0x3a || s.charCodeAt(19) !== 0x2e || s.charCodeAt(23) !== 0x5a) return null;
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  const second = digits(s, 17, 2);
  const ms = digits(s, 20, 3);
  // Years 0-999 (Date.UTC reads 0-99 as 1900-1999) and every refusal: the general reader's.
  // A field with a character that is not a digit is -1, so a negative OR of them all.
  if ((year | month | day | hour | minute | second | ms) < 0) return null;
  if (year < 1000 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) return null;
  return Date.UTC(year, month - 1, day, hour, minute, second, ms);
}

/** The number written by `n` ASCII digits from `at`, or -1 when one of them is not a digit. */
function digits(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const d = s.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  return month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : MONTH_DAYS[month - 1];
}
