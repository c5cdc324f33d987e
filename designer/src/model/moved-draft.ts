import { formatDateTime } from './format.js';
import type { Lang } from './i18n.js';
import type { DraftFlow } from './types.js';

/**
 * A draft that 确认发布 moved to another id while this tab had it open (the 409 of its save says
 * where: `conflict.movedTo`, api/designer/drafts.controller.ts). The banner said 这个旅程的草稿已被别人
 * 发布或放弃 and offered 保留我的版本（覆盖对方的修改）, which saved the drawing under the old id: a
 * second journey, a copy of the one now running, that published too would have started every order
 * twice (walk-mkt, two tabs on one new journey). Now it says where the journey went and offers to
 * open it, or to take this tab's edit there as that journey's draft.
 */
export interface MovedTo {
  flowId: string;
  author: string;
  at: number;
  /** Its live version; null before it is published. */
  version: number | null;
}

export function movedDraftWords(lang: Lang, oldId: string, m: MovedTo, timeZone?: string): { text: string; open: string; carry: string; carryRefused: string } {
  const when = formatDateTime(lang, m.at, timeZone);
  const how = m.version === null ? '' : lang === 'zh' ? `（线上 v${m.version}）` : ` (live v${m.version})`;
  return lang === 'zh'
    ? {
        text: `${m.author} 在 ${when} 发布了这个旅程，旅程 ID 从「${oldId}」改成了「${m.flowId}」${how}。这里的修改还没有保存，自动保存已暂停；不会再存到「${oldId}」，那样会多出一个重复的旅程。`,
        open: `打开「${m.flowId}」（放弃这里的修改）`,
        carry: `把这里的修改带到「${m.flowId}」（存为它的草稿）`,
        carryRefused: `「${m.flowId}」已经有未发布的修改，没有覆盖：请打开它，对比后再改。`,
      }
    : {
        text: `${m.author} published this journey at ${when} and its id changed from "${oldId}" to "${m.flowId}"${how}. Your changes here are not saved and autosave is paused; they will not be saved as "${oldId}", which would make a duplicate journey.`,
        open: `Open "${m.flowId}" (discard changes here)`,
        carry: `Take these changes to "${m.flowId}" (as its draft)`,
        carryRefused: `"${m.flowId}" already has unpublished changes and was not overwritten: open it and compare.`,
      };
}

/** This tab's drawing as the moved journey's draft: the same steps under its new id. */
export function carriedDraft(flow: DraftFlow, m: MovedTo): DraftFlow {
  return { ...flow, id: m.flowId };
}
