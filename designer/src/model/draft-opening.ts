import type { Lang } from './i18n.js';

/**
 * What the editor says on opening a journey from its draft. "已恢复上次未发布的草稿" showed on every
 * draft, even a journey made a minute ago and never published, where the draft simply is the
 * journey (the toolbar's 草稿 says so). It is worth a line only when a live version runs beside it:
 * the marketer comes back to changes customers do not get yet. `restored`: opened from a draft left
 * from before (not the one this tab just created); `live`: the version customers are on.
 */
export function draftOpeningWords(lang: Lang, restored: boolean, live: number | null): string | null {
  if (!restored || live === null) return null;
  return lang === 'zh' ? `打开的是未发布的修改（草稿）：顾客仍在走线上 v${live}，发布后才生效` : `These are your unpublished changes (draft): customers are still on live v${live} until you publish`;
}
