import type { Lang } from './i18n.js';

/**
 * What the editor says on opening a journey from its draft. "已恢复上次未发布的草稿" showed on every
 * draft, even a journey made a minute ago and never published, where the draft simply is the
 * journey (the toolbar's 草稿 says so). It is worth a line only when a live version runs beside it:
 * the marketer comes back to changes customers do not get yet. `restored`: opened from a draft left
 * from before (not the one this tab just created); `live`: the version customers are on.
 */
export function draftOpeningWords(lang: Lang, restored: boolean, live: number | null, fileChanged = false): string | null {
  // The journey's file was changed in git after the draft was started from it: publishing the draft
  // is refused (it would undo that change), so the marketer hears it on opening, not at 确认发布.
  if (restored && fileChanged) {
    return lang === 'zh'
      ? '打开的是未发布的修改（草稿）。注意：这个旅程的文件在草稿开始之后被开发同事改过（git 提交），这份草稿不能直接发布（会把他们的修改改回去）：请先「对比」，放弃草稿后在新的文件上重新修改'
      : "These are your unpublished changes (draft). Note: the journey's file was changed (in git) after this draft was started, so the draft cannot be published as it is (it would undo that change): compare, then discard the draft and redo your edit on the new file";
  }
  if (!restored || live === null) return null;
  return lang === 'zh' ? `打开的是未发布的修改（草稿）：顾客仍在走线上 v${live}，发布后才生效` : `These are your unpublished changes (draft): customers are still on live v${live} until you publish`;
}
