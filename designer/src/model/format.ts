import type { Lang } from './i18n.js';

/**
 * Numbers, money and instants as the shop reads them: in its time zone (not the browser's, not
 * UTC), in the interface language.
 */
export const DEFAULT_TIMEZONE = 'Asia/Shanghai';

export function formatDateTime(lang: Lang, ms: number | null | undefined, timeZone = DEFAULT_TIMEZONE): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  const f = new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });
  return f.format(new Date(ms));
}

/**
 * The time of day in the shop's time zone, 24-hour: "12:04", with seconds "12:04:31" (when live
 * numbers were read; the window of the intake line). The browser's clock would say 04:28 beside
 * versions published at 12:04 for a marketer whose laptop is set to UTC.
 */
export function formatClock(ms: number, timeZone = DEFAULT_TIMEZONE, seconds = false): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', ...(seconds ? { second: '2-digit' } : {}), hourCycle: 'h23' }).formatToParts(new Date(ms));
  const part = (type: string) => parts.find((x) => x.type === type)?.value ?? '00';
  return [part('hour'), part('minute'), ...(seconds ? [part('second')] : [])].join(':');
}

export function formatDate(lang: Lang, ms: number | null | undefined, timeZone = DEFAULT_TIMEZONE): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  return new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(ms));
}

/**
 * A negative figure as the CLI writes it (server/src/core/text/signed-number.ts): the hyphen-minus
 * in front of everything, ¥ included (-¥424.05, not ¥-424.05), and no sign on what rounds to zero.
 */
function signed(value: number, magnitude: (abs: number) => string, plus = false): string {
  const text = magnitude(Math.abs(value));
  const nonZero = /[1-9]/.test(text);
  return value < 0 && nonZero ? `-${text}` : plus && value > 0 && nonZero ? `+${text}` : text;
}

export function formatMoney(lang: Lang, amount: number): string {
  return signed(amount, (a) => `¥${a.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-US', { maximumFractionDigits: 2 })}`);
}

/** An amount of money paid or earned, with its cents (¥31,844.90): formatMoney drops them, as a rule's threshold (客单价 > ¥200) reads best. */
export function formatAmount(lang: Lang, amount: number): string {
  return signed(amount, (a) => `¥${a.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`);
}

/** A share as a percentage with one decimal (0.1978 → 19.8%); `plus` marks a gain (+19.8%), as a lift reads. */
export function formatPercent(v: number, o: { plus?: boolean } = {}): string {
  return signed(v, (a) => `${(a * 100).toFixed(1)}%`, o.plus);
}

/**
 * A difference of two rates in percentage points with one decimal (0.053 → 5.3 个百分点 / 5.3 pp),
 * as the simulation's lift over the holdout reads: with % it read as a relative change (the CLI's
 * `points`, core/text/signed-number.ts, says pp for the same reason). `plus` marks a gain; `unit: false`
 * leaves the unit to a figure beside it (an interval's low end: -1.7 至 8.9 个百分点).
 */
export function formatPoints(lang: Lang, v: number, o: { plus?: boolean; unit?: boolean } = {}): string {
  const unit = o.unit === false ? '' : lang === 'zh' ? ' 个百分点' : ' pp';
  return signed(v, (a) => `${(a * 100).toFixed(1)}${unit}`, o.plus);
}

export function formatCount(lang: Lang, n: number): string {
  return n.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-US');
}

/** "2026-11-05T10:00:00+08:00" (or ms) → the wall-clock value of an <input type="datetime-local"> in the shop's zone. */
export function toLocalInput(value: string | number | undefined, timeZone = DEFAULT_TIMEZONE): string {
  if (value === undefined || value === '') return '';
  const ms = typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(ms)) return '';
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false }).formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  const hour = parts.hour === '24' ? '00' : parts.hour;
  return `${parts.year}-${parts.month}-${parts.day}T${hour}:${parts.minute}`;
}

/** Offset of a zone at an instant, as "+08:00". */
export function offsetAt(ms: number, timeZone = DEFAULT_TIMEZONE): string {
  const local = toLocalInput(ms, timeZone);
  const asUtc = Date.parse(`${local}:00Z`);
  const minutes = Math.round((asUtc - Math.floor(ms / 60_000) * 60_000) / 60_000);
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** The wall-clock value of a datetime-local input (shop time) → ISO date-time with the shop's offset. */
export function fromLocalInput(local: string, timeZone = DEFAULT_TIMEZONE): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(local)) return undefined;
  // The offset at that wall-clock time: guess with the UTC reading, correct once (zones without DST need no correction).
  const guess = Date.parse(`${local}:00Z`);
  let offset = offsetAt(guess, timeZone);
  const ms = Date.parse(`${local}:00${offset}`);
  offset = offsetAt(ms, timeZone);
  return `${local}:00${offset}`;
}
