import { translate, type Lang } from './i18n.js';

/**
 * Durations as marketers type them ("3天", "三天", "3 days", "2 小时", "72h", "1 week", "1天12小时",
 * "1个月" = 30 days)
 * read into the flow file's canonical form ("3d", "72h", "1d12h"), and back into words.
 */
const UNITS: [RegExp, string, number][] = [
  // A month is 30 days (the flow file has no months: their length varies); the field's hint says so.
  [/^(mo|month|months|个月|月)$/, 'd', 30 * 86_400_000],
  [/^(w|wk|wks|week|weeks|周|星期|个星期|个礼拜|礼拜)$/, 'w', 7 * 86_400_000],
  [/^(d|day|days|天|日)$/, 'd', 86_400_000],
  [/^(h|hr|hrs|hour|hours|小时|个小时|时)$/, 'h', 3_600_000],
  [/^(m|min|mins|minute|minutes|分钟|分)$/, 'm', 60_000],
];

const CANONICAL_ORDER = ['d', 'h', 'm'];

const DIGIT: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
/** "三" → 3, "十二" → 12, "二十五" → 25, "三百六十五" → 365 (what a marketer types before 天). */
function chineseNumber(text: string): number {
  let total = 0;
  let digit = 0;
  for (const ch of text) {
    if (ch in DIGIT) digit = DIGIT[ch];
    else {
      total += (digit || 1) * (ch === '百' ? 100 : 10);
      digit = 0;
    }
  }
  return total + digit;
}

/** Milliseconds of a typed duration, or null when it cannot be read. */
export function parseTypedDuration(text: string): number | null {
  const s = text
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/[零〇一二两三四五六七八九十百]+/g, (n) => String(chineseNumber(n)))
    .replace(/(\d+(?:\.\d+)?)\s*个(?=月|小时|星期|礼拜)/g, '$1');
  if (!s) return null;
  const re = /(\d+(?:\.\d+)?)\s*([a-z\u4e00-\u9fff]+)\s*/gy;
  let total = 0;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = re.exec(s))) {
    const unit = UNITS.find(([r]) => r.test(m![2]));
    if (!unit) return null;
    total += Number(m[1]) * unit[2];
    consumed = re.lastIndex;
  }
  if (consumed === 0 || consumed !== s.length) return null;
  return Math.round(total);
}

/** The canonical form the flow file keeps ("3d", "2h", "1d12h", "90m"); "0m" for zero. */
export function canonicalDuration(ms: number): string {
  if (ms <= 0) return '0m';
  let rest = Math.round(ms / 60_000);
  const out: string[] = [];
  for (const u of CANONICAL_ORDER) {
    const size = u === 'd' ? 1440 : u === 'h' ? 60 : 1;
    const n = Math.floor(rest / size);
    if (n) out.push(`${n}${u}`);
    rest -= n * size;
  }
  return out.join('');
}

/** A typed duration in canonical form, or null when it cannot be read. */
export function normalizeDuration(text: string): string | null {
  const trimmed = text.trim();
  if (/^(\d+[wdhms])+$/.test(trimmed)) return trimmed; // already the file's form: keep it as typed
  const ms = parseTypedDuration(text);
  return ms === null ? null : canonicalDuration(ms);
}

/** The flow file's form, the only one the server reads (server/src/core/flow/duration.ts DURATION_PATTERN). */
export const FILE_DURATION = /^(\d+[wdhms])+$/;

/**
 * "3d" → "3 天" / "3 days"; "1d12h" → "1 天 12 小时". A value not in the file's form ("2 hours",
 * "2 小时" written into a file by hand) is said as it is and flagged: the card said 等待 2 小时
 * while the inspector and the server's checks said it is not a duration. Typed into the
 * inspector, such words are read (normalizeDuration) and kept in the file's form.
 */
export function durationWords(lang: Lang, canonical: unknown): string {
  if (typeof canonical !== 'string') return '';
  const ms = FILE_DURATION.test(canonical) ? parseTypedDuration(canonical) : null;
  if (!FILE_DURATION.test(canonical)) return translate(lang, 'duration.notFileForm').replace('{text}', canonical);
  if (ms === null) return canonical;
  if (ms === 0) return lang === 'zh' ? '0 分钟' : '0 minutes';
  const parts: string[] = [];
  let rest = Math.round(ms / 60_000);
  for (const [size, zh, en] of [[1440, '天', 'day'], [60, '小时', 'hour'], [1, '分钟', 'minute']] as const) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n) parts.push(lang === 'zh' ? `${n} ${zh}` : `${n} ${en}${n === 1 ? '' : 's'}`);
  }
  return parts.join(' ');
}
