import type { Lang } from './i18n.js';
import { PERCENT_FIELDS, percentOfShare } from './share-percent.js';

/**
 * What an empty number field says in grey. A bare "30" (多次触达比例上限) or "50" (优先级) read as a
 * value already set (walkthrough): the grey text says the field is unset and what then applies —
 * the schema's default ("默认 50"), or for a limit that nothing fills in, that there is none.
 * multiTouchShare unset means no share limit (the send executor passes null; there is no shop-wide
 * share in rules/policy.yaml), so it says 不限 and the usual value.
 */
const NO_LIMIT: Record<string, { zh: string; en: string }> = {
  multiTouchShare: { zh: '不限（常用 30）', en: 'no limit (often 30)' },
};

export function unsetPlaceholder(lang: Lang, path: string, schemaDefault?: unknown): string {
  const none = NO_LIMIT[path];
  if (none) return none[lang];
  if (typeof schemaDefault !== 'number' && typeof schemaDefault !== 'string') return '';
  const shown = PERCENT_FIELDS.has(path) ? percentOfShare(schemaDefault) : String(schemaDefault);
  if (shown === '') return '';
  return lang === 'zh' ? `默认 ${shown}` : `default ${shown}`;
}
