import type { CapNames } from './cap-words.js';
import type { Lang } from './i18n.js';
import { outcomeWords, reasonWords } from './reason-words.js';
import type { DraftNode } from './types.js';

/** An A/B split's arm by its label (方案 A, 对照组), its id when it has none or is not on this step. */
export function armLabel(node: DraftNode | undefined, id: string): string {
  const arm = (Array.isArray(node?.arms) ? (node.arms as Record<string, unknown>[]) : []).find((a) => a && String(a.id) === id);
  return typeof arm?.label === 'string' && arm.label.trim() ? arm.label.trim() : id;
}

/**
 * One count line of a card (counts.ts countLines: an i18n key "counts.…", a held-back send
 * "blocked:<status>:<reason>", or a journey-log outcome) in words, for the step `node`: an arm by
 * its label, a cap by what it limits.
 */
export function countLineWords(lang: Lang, key: string, t: (k: string) => string, node?: DraftNode, caps?: CapNames): string {
  if (key.startsWith('counts.')) return t(key);
  if (key.startsWith('blocked:')) {
    // blocked:<status>[:<reason>]: the reason says why (a status alone is its own reason).
    const rest = key.slice('blocked:'.length);
    const i = rest.indexOf(':');
    return `${t('counts.blocked')}：${reasonWords(lang, i < 0 ? rest : rest.slice(i + 1), caps)}`;
  }
  return outcomeWords(lang, key, undefined, undefined, { caps, arm: (id) => armLabel(node, id) });
}
