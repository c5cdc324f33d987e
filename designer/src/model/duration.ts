import { canonicalDuration, normalizeDuration, parseTypedDuration } from '../../../server/src/core/flow/typed-duration.js';
import { translate, type Lang } from './i18n.js';

/**
 * Durations in words for the designer. Reading what a marketer types ("3天", "2 hours") into the
 * file's form is the engine's (server/src/core/flow/typed-duration.ts), shared with the flow checks.
 */
export { canonicalDuration, normalizeDuration, parseTypedDuration };

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
