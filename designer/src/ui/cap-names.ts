import { retried } from '../model/retried.js';
import { createContext, useContext, useEffect, useMemo, useState } from 'react';
import { api } from '../api.js';
import { capNames, NO_CAP_NAMES, type CapNames } from '../model/cap-words.js';
import type { Lang } from '../model/i18n.js';
import { listTitleEntries } from '../model/list-titles.js';

/**
 * The caps in words for the canvas cards (React Flow renders a card from node data alone): the
 * editor provides them from the flow's own caps and the shop's (GET /api/policy), so a card says
 * which limit held a send back, not the cap's id.
 */
export const CapNamesContext = createContext<CapNames>(NO_CAP_NAMES);
export const useCapNames = () => useContext(CapNamesContext);

/**
 * The shop's caps (GET /api/policy `caps`), and its titled block lists as `list:<name>` entries
 * (model/list-titles.ts: a send held back by a list is said by its title); none until it answers
 * (or if it fails).
 */
export function useShopPolicyCaps(): unknown {
  const [policyCaps, setPolicyCaps] = useState<unknown>([]);
  useEffect(() => {
    retried(api.policy).then((p) => setPolicyCaps([...(p.policy?.caps ?? []), ...listTitleEntries(p.blockLists)])).catch(() => {}); // the ids show instead: what they name is still right
  }, []);
  return policyCaps;
}

/** The flow's caps and the shop's, in words; until GET /api/policy answers (or if it fails) the flow's alone. */
export function useFlowCapNames(lang: Lang, flowCaps: unknown): CapNames {
  const policyCaps = useShopPolicyCaps();
  return useMemo(() => capNames(lang, flowCaps, policyCaps), [lang, flowCaps, policyCaps]);
}
