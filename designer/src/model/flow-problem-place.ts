import { fieldLabel } from './fields.js';
import type { Lang } from './i18n.js';
import type { DraftFlow, Problem } from './types.js';

/**
 * Where a problem of the journey's own settings is, for the Problems panel, which names a step's
 * problems by the step and said these bare: two caps both without 最多次数 read 请填写「最多次数」
 * twice, with nothing to tell which cap (walk20). A cap is named by its 说明 (what the designer
 * shows of it), else its id; an 提前结束条件 by its place in the list. Null for other problems.
 */
export function flowProblemPlace(lang: Lang, flow: DraftFlow, p: Problem): string | null {
  const m = /^(caps|exitOn)\.(\d+)(?:\.|$)/.exec(p.path);
  if (!m) return null;
  const i = Number(m[2]);
  const list = flow[m[1] as 'caps' | 'exitOn'];
  const item = (Array.isArray(list) ? list[i] : undefined) as { id?: unknown; description?: unknown } | undefined;
  const zh = lang === 'zh';
  if (m[1] === 'caps') {
    const name = typeof item?.description === 'string' && item.description.trim() ? item.description.trim() : typeof item?.id === 'string' && item.id ? item.id : zh ? `第 ${i + 1} 条` : `#${i + 1}`;
    return zh ? `${fieldLabel(lang, 'caps')}「${name}」` : `${fieldLabel(lang, 'caps')} "${name}"`;
  }
  return zh ? `${fieldLabel(lang, 'exitOn')}第 ${i + 1} 条` : `${fieldLabel(lang, 'exitOn')} #${i + 1}`;
}
