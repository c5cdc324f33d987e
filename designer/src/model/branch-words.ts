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
export function branchWords(lang: Lang, handle: string): string {
  if (BRANCH[handle]) return BRANCH[handle][lang];
  if (handle.startsWith('arm-')) return lang === 'zh' ? `分组 ${handle.slice(4)}` : `arm ${handle.slice(4)}`;
  if (handle.startsWith('case-')) return lang === 'zh' ? `第 ${Number(handle.slice(5)) + 1} 个分支` : `branch ${Number(handle.slice(5)) + 1}`;
  return handle;
}
