import type { Lang } from './i18n.js';
import { stepName } from './step-name.js';
import type { DraftNode } from './types.js';

export interface StepChoice {
  value: string;
  /** What the option says: the step in words. */
  label: string;
  /** The option's tooltip: the step's id, for whoever reads the flow file. */
  hint: string;
}

/**
 * A step's 连接 options: each step by its name in words (结束, 发送短信, its label); the id after it
 * only where two of the offered steps would read the same (two 结束 steps: 结束（exit-1）, 结束（exit-2）),
 * so they can still be told apart. Every option used to end in its id, which a marketer cannot read.
 */
export function stepChoices(lang: Lang, nodes: readonly DraftNode[]): StepChoice[] {
  const names = nodes.map((n) => stepName(lang, n, n.id));
  const seen = new Map<string, number>();
  for (const n of names) seen.set(n, (seen.get(n) ?? 0) + 1);
  return nodes.map((n, i) => ({ value: n.id, label: (seen.get(names[i]) ?? 0) > 1 ? `${names[i]}（${n.id}）` : names[i], hint: n.id }));
}
