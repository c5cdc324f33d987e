import { useMemo } from 'react';
import { countsOnDraft, withheldNote, withheldWords } from '../../model/counts-on-draft.js';
import type { NodeCounts } from '../../model/counts.js';
import type { Lang } from '../../model/i18n.js';
import type { DraftFlow } from '../../model/types.js';
import type { CanvasCounts } from './useCanvasCounts.js';

/**
 * The numbers each card shows: a simulation's on every card (it ran this drawing); the live ones
 * (实时数据, the live version's) not on a card the draft changed or added, which says why instead,
 * with a line above the canvas (model/counts-on-draft.ts). `live`: the live version's journey
 * (hooks/useLiveVersion.ts). A simulation's copy's numbers (`simulatedAt`) are the simulation's,
 * not the live version's: every card keeps them.
 */
export function useCountsOnCards(counts: CanvasCounts, live: DraftFlow | null, flow: DraftFlow, version: number | null, lang: Lang): { nodes: NodeCounts[]; withheld: Map<string, string>; note: string | null } {
  return useMemo(() => {
    const nodes = counts?.nodes ?? [];
    const liveVersionNumbers = counts?.source === 'live' && counts.simulatedAt == null && version !== null;
    const shown = countsOnDraft(liveVersionNumbers ? live : null, flow, nodes);
    const withheld = new Map([...shown.withheld].map(([id, why]) => [id, withheldWords(lang, why, version ?? 0)]));
    return { nodes: shown.counts, withheld, note: withheldNote(lang, shown.withheld, version ?? 0) };
  }, [counts, live, flow, version, lang]);
}
