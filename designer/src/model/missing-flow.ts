import type { Lang } from './i18n.js';
import type { MovedTo } from './moved-draft.js';

/**
 * Whether a flow opened by its address exists: it has a draft (a journey just made with 新建旅程
 * has one before the editor opens) or the server lists it (a file, a live version). Neither: the
 * link is to a deleted or mistyped journey, and the editor must not open an empty drawing titled
 * with the id as if it were new (autosave would then create it).
 */
export function flowExists(found: { draft: boolean; listed: boolean }): boolean {
  return found.draft || found.listed;
}

/** What the editor says instead of opening a journey that does not exist. */
export function missingFlowWords(lang: Lang, id: string): { text: string; back: string } {
  return lang === 'zh'
    ? { text: `找不到旅程「${id}」：它可能已被删除，或链接有误。`, back: '返回旅程列表' }
    : { text: `There is no journey "${id}": it may have been deleted, or the link is wrong.`, back: 'Back to the journeys' };
}

/**
 * What the editor says instead when the link's id is one a journey had before 确认发布 gave it its
 * real id (the server's `movedTo`: the 404 of GET /api/flows/:id/file, from the audit log's
 * draft-renamed). A link copied or bookmarked while the journey was new (journey-<date>) said
 * 找不到旅程, as if it had been deleted.
 */
export function movedFlowWords(lang: Lang, oldId: string, m: MovedTo): { text: string; open: string; back: string } {
  return lang === 'zh'
    ? {
        text: `这个旅程已改名为「${m.flowId}」：${m.author} 首次发布时把旅程 ID 从「${oldId}」改成了「${m.flowId}」，这个旧链接不再指向它。`,
        open: `打开「${m.flowId}」`,
        back: '返回旅程列表',
      }
    : {
        text: `This journey is now "${m.flowId}": ${m.author} changed its id from "${oldId}" to "${m.flowId}" when first publishing it, and this old link no longer leads to it.`,
        open: `Open "${m.flowId}"`,
        back: 'Back to the journeys',
      };
}

/** Thrown by loadFlowDocument for a flow that does not exist (flowExists false); `movedTo` when the server knows its id changed. */
export class MissingFlow extends Error {
  constructor(
    readonly flowId: string,
    readonly movedTo: MovedTo | null = null,
  ) {
    super(`flow ${flowId} does not exist`);
    this.name = 'MissingFlow';
  }
}
