import type { Lang } from './i18n.js';

/** A branch handle (next, yes, timedOut, arm-b, case-0…) in words, as problems name it. */
const BRANCH: Record<string, Record<Lang, string>> = {
  next: { zh: '下一步', en: 'next' },
  yes: { zh: '是', en: 'yes' },
  no: { zh: '否', en: 'no' },
  responded: { zh: '已响应', en: 'responded' },
  timedOut: { zh: '超时', en: 'timed out' },
  else: { zh: '其他', en: 'else' },
  capped: { zh: '被限频', en: 'capped' },
  overflow: { zh: '超出上限', en: 'over the limit' },
};
/**
 * `node` (the step the branch leaves): an arm or a case is named by its label as the card shows
 * it (方案 A, 对照组), not by its id ("分组 holdout" meant nothing to a marketer); without a label,
 * by its id as before.
 */
export function branchWords(lang: Lang, handle: string, node?: Record<string, unknown> | null): string {
  if (BRANCH[handle]) return BRANCH[handle][lang];
  const arm = /^arm-(.+)$/.exec(handle);
  const armLabel = arm && Array.isArray(node?.arms) ? (node.arms as Record<string, unknown>[]).find((a) => String(a.id) === arm[1])?.label : undefined;
  if (typeof armLabel === 'string' && armLabel) return armLabel;
  const kase = /^case-(\d+)$/.exec(handle);
  const caseLabel = kase && Array.isArray(node?.cases) ? (node.cases as Record<string, unknown>[])[Number(kase[1])]?.label : undefined;
  if (typeof caseLabel === 'string' && caseLabel) return caseLabel;
  if (handle.startsWith('arm-')) return lang === 'zh' ? `分组 ${handle.slice(4)}` : `arm ${handle.slice(4)}`;
  if (handle.startsWith('case-')) return lang === 'zh' ? `第 ${Number(handle.slice(5)) + 1} 个分支` : `branch ${Number(handle.slice(5)) + 1}`;
  return handle;
}
