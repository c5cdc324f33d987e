import { capNames, type CapNames } from './cap-words.js';
import { armLabel } from './count-line-words.js';
import type { Lang } from './i18n.js';
import type { OutcomeNames } from './reason-words.js';
import type { DraftFlow } from './types.js';

/**
 * The names a customer's journey is told in (客户 view): the caps that can hold back a send of
 * `flow` (its own and the shop's, cap-words.ts) and, for the step `nodeId`, its A/B arms by their
 * labels. The journey log and send table say "capped:d11-touches" and "arm:a"; the marketer reads
 * 触达上限已满：<what the cap limits> and 分到「方案 A」组, as on the live view's cards.
 * A flow that could not be loaded (deleted since) leaves the ids.
 */
export function journeyCapNames(lang: Lang, flow: DraftFlow | undefined, policyCaps: unknown): CapNames {
  return capNames(lang, flow?.caps, policyCaps);
}

export function journeyStepNames(lang: Lang, flow: DraftFlow | undefined, policyCaps: unknown, nodeId: string): OutcomeNames {
  const node = flow?.nodes.find((n) => n.id === nodeId);
  return { caps: journeyCapNames(lang, flow, policyCaps), arm: (id) => armLabel(node, id) };
}
