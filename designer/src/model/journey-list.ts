import type { Lang } from './i18n.js';

/**
 * The journeys list: its order and what its status column says.
 *
 * Every journey never published said 草稿 (a shipped journey in rules/flows/ and a new one left
 * empty alike), and rows came in raw id order. A journey never published now says 未发布, with
 * when its draft was last saved (a new one abandoned shows its old date); a published one with a
 * changed draft keeps its status (运行中 v2) with 有未发布的修改. The order is what a marketer looks
 * for first: what runs now (运行中, then 已暂停), then what is being prepared (未发布), then what
 * ended (已停止); within each, by name as the shop's language sorts it, the id after a shared name.
 */
export interface ListedJourney {
  id: string;
  name: string;
  status: 'draft' | 'active' | 'paused' | 'stopped';
  version: number | null;
  draft: { updatedAt: number } | null;
}

const RANK: Record<ListedJourney['status'], number> = { active: 0, paused: 1, draft: 2, stopped: 3 };

/** The server says `draft` for a journey with no published version; a version decides, should the two ever disagree. */
export const neverPublished = (f: Pick<ListedJourney, 'status' | 'version'>): boolean => f.version === null;

export function journeyOrder<T extends ListedJourney>(flows: readonly T[], lang: Lang): T[] {
  const collator = new Intl.Collator(lang === 'zh' ? 'zh-CN' : 'en', { numeric: true, sensitivity: 'base' });
  const rank = (f: T) => (neverPublished(f) ? RANK.draft : RANK[f.status]);
  return [...flows].sort((a, b) => rank(a) - rank(b) || collator.compare(a.name || a.id, b.name || b.id) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

