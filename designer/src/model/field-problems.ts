import type { Lang } from './i18n.js';
import { problemWords } from './problem-words.js';
import type { DraftFlow, Problem } from './types.js';

/**
 * The journey's own problems (not a step's) by the field they are about, in the marketer's words:
 * 旅程设置 shows each beside its field (a journey cap's id that a shop-wide cap already has,
 * beside 上限 ID of that cap), as well as in the Problems panel. Keyed by the value's place with
 * its indices ("caps.1.id"), as the server names it; problems of no field of the settings form
 * (the steps, the whole journey) are left to the panel.
 */
export function flowFieldProblems(lang: Lang, problems: readonly Problem[], flow: DraftFlow): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const p of problems) {
    if (p.nodeId !== null || !p.path || p.path === 'nodes' || p.path.startsWith('nodes.') || p.message.startsWith('local.')) continue;
    (out[p.path] ??= []).push(problemWords(lang, p, flow));
  }
  return out;
}
