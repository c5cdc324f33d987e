/**
 * Whether the editor reopened after 放弃修改 shows the live numbers again. Discarding reloads the
 * editor on the live version, and the numbers were lost with the old editor: the 实时数据 view
 * and its counts vanished without a word (walk: 35-discarded). The live numbers are the live
 * version's, which is what the editor now shows, so they stay on when they were on. A
 * simulation's numbers were the discarded draft's, and an unpublished journey has no live numbers.
 */
export function liveViewAfterDiscard(shown: 'live' | 'sim' | null, published: boolean): boolean {
  return published && shown === 'live';
}
