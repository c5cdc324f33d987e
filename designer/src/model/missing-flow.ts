import type { Lang } from './i18n.js';

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

/** Thrown by loadFlowDocument for a flow that does not exist (flowExists false). */
export class MissingFlow extends Error {
  constructor(readonly flowId: string) {
    super(`flow ${flowId} does not exist`);
    this.name = 'MissingFlow';
  }
}
