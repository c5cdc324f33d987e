import type { NodeCounts } from './counts.js';
import { nodeChanges } from './diff.js';
import type { Lang } from './i18n.js';
import type { DraftFlow } from './types.js';

/** Why a card shows no live numbers: the draft changed it, or added it (the live version has no such step). */
export type Withheld = 'changed' | 'added';

/**
 * The live numbers (实时数据) as the cards of a draft may show them. They are the live version's:
 * on a card the draft changed (another message, another wait, another branch) or added, they read
 * as that card's numbers — a marketer took v1's 已发送 120 on an edited SMS for the new text's
 * (walkthrough). Those cards get none, and say why (`withheld`); unchanged cards keep theirs. The
 * comparison is 对比线上版本's (model/diff.ts). `live` null: the live version's journey is not known
 * (or the numbers are not the live version's: a simulation of the draft), every card keeps its numbers.
 */
export function countsOnDraft(live: DraftFlow | null, draft: DraftFlow, counts: readonly NodeCounts[]): { counts: NodeCounts[]; withheld: Map<string, Withheld> } {
  if (!live) return { counts: [...counts], withheld: new Map() };
  const c = nodeChanges(live, draft);
  const withheld = new Map<string, Withheld>([...c.changed.map((id) => [id, 'changed'] as const), ...c.added.map((id) => [id, 'added'] as const)]);
  return { counts: counts.filter((n) => !withheld.has(n.nodeId)), withheld };
}

/** The words on a card whose live numbers are withheld. */
export function withheldWords(lang: Lang, why: Withheld, version: number): string {
  if (lang === 'en') return why === 'changed' ? `Changed in the draft: live v${version}'s numbers do not apply` : `New in the draft: live v${version} has no such step`;
  return why === 'changed' ? `草稿里改过，线上版本 v${version} 的数字不适用` : `草稿新加的步骤，线上版本 v${version} 里还没有它`;
}

/** The line above the canvas saying how many cards show no live numbers, and why (null: none). */
export function withheldNote(lang: Lang, withheld: ReadonlyMap<string, Withheld>, version: number): string | null {
  if (!withheld.size) return null;
  return lang === 'en'
    ? `The numbers are the live journey's (v${version}): the ${withheld.size} step(s) the draft changed or added show none, so they are not read as the edited steps' numbers`
    : `数字来自线上运行的旅程（v${version}）：草稿里改过或新加的 ${withheld.size} 个步骤不显示数字，以免当成改动后的数字`;
}
