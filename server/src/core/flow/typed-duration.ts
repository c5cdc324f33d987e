/**
 * Durations as marketers type them ("3天", "三天", "3 days", "2 小时", "72h", "1 week", "1天12小时",
 * "1个月" = 30 days) read into the flow file's canonical form ("3d", "72h", "1d12h"). The designer's
 * duration field reads what is typed with it, and a flow file's check suggests the file's form
 * with it ("2 hours" is not a duration: write 2h): one reader, so both agree on what a word means.
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

/** The units 半 (a half) is said with: 半天, 一天半, 两个半小时, 半个月. */
const HALF_UNIT = '(?:个月|月|个星期|星期|周|天|日|个小时|小时|分钟)';

/** Milliseconds of a typed duration, or null when it cannot be read. */
export function parseTypedDuration(text: string): number | null {
  const s = text
    // NFKC: what a Chinese input method types in full-width mode (２小时, ３ｄ, １．５天) reads as 2小时, 3d, 1.5天.
    .normalize('NFKC')
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/[零〇一二两三四五六七八九十百]+/g, (n) => String(chineseNumber(n)))
    // 半: 两个半小时 → 2.5小时, 一天半 → 1.5天, 半天 / 半个月 → 0.5天 / 0.5月 (said, not typed as digits, walkthrough).
    .replace(new RegExp(`(\\d+)\\s*个?半(?=${HALF_UNIT})`, 'g'), '$1.5')
    .replace(new RegExp(`(\\d+)\\s*(${HALF_UNIT})半`, 'g'), '$1.5$2')
    .replace(new RegExp(`(^|[^\\d.])半(?=${HALF_UNIT})`, 'g'), (_, before: string) => `${before}0.5`)
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


/**
 * What a flow file's check says of a value that is not a duration, with the file's form of it
 * when the words can be read: `within: 2 hours` was refused with only "a duration such as 30m,
 * 2h, 3d or 1d12h", which neither echoed the value nor said what to write instead.
 */
export function notADuration(input: unknown): string {
  const examples = 'a duration such as 30m, 2h, 3d or 1d12h';
  if (typeof input !== 'string') return `expected ${examples}`;
  const ms = parseTypedDuration(input);
  const fix = ms ? canonicalDuration(ms) : null;
  return fix && fix !== '0m' ? `"${input}" is not a duration: write ${fix} (${examples})` : `"${input}" is not a duration (${examples})`;
}
