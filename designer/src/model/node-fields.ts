import { edgeFieldOf, nodeFieldOf } from './field-problems.js';
import { fieldLabel } from './fields.js';
import { outputsOf } from './handles.js';
import type { Lang } from './i18n.js';
import { problemWords } from './problem-words.js';
import type { DraftFlow, DraftNode, Problem } from './types.js';

/**
 * Which of a step's fields the inspector shows, and what a choice in them means, decided from the
 * step itself: a field that does nothing for this step is not shown (an SMS has no subject, a
 * limit that splits into groups sends nobody to 超出上限), so a marketer never fills one in vain.
 */

/** The fields of `node` that the form leaves out on top of `base` (edges, id, type). */
export function hiddenFields(node: DraftNode, base: ReadonlySet<string>): ReadonlySet<string> {
  const out = new Set(base);
  // Only an email has a subject line; the engine never sends it on any other channel.
  if (node.type === 'send' && node.channel !== 'email') out.add('subject');
  // 超出上限 is an edge (drawn on the canvas, listed under 连接 when it exists): only 只取前面的
  // (mode keep) has it, and the form never shows edges as fields.
  if (node.type === 'limit') out.add('overflow');
  return out;
}

/** A field of a step that its form does not show, with the problems found in it. */
export interface HiddenFieldProblems {
  /** The field's key on the step ("subject", "overflow"). */
  field: string;
  /** Its name in the marketer's words (邮件标题). */
  label: string;
  /** Why the form does not show it, in words. */
  why: string;
  problems: { words: string; severity: Problem['severity'] }[];
}

/**
 * The problems of a step that sit in a field its form does not show (hiddenFields: the subject of
 * an SMS, a limit's 超出上限 when its mode has no such branch), by field. Such a problem was only in
 * the Problems panel: the step's card counted it, the form had no field to say it beside, so a
 * marketer could not see what to fix nor fix it. The card marks these, and the form lists them
 * with a button that clears the field (it does nothing for this step anyway).
 */
export function hiddenFieldProblems(lang: Lang, node: DraftNode, problems: readonly Problem[], flow?: DraftFlow): HiddenFieldProblems[] {
  const hidden = hiddenFields(node, new Set());
  // An output the step has is drawn on the canvas and listed under 连接: not hidden.
  const outputs = new Set(outputsOf(node).map((h) => edgeFieldOf(node, h.id).split('.')[0]));
  const out = new Map<string, HiddenFieldProblems>();
  for (const p of problems) {
    if (p.nodeId !== node.id) continue;
    const field = nodeFieldOf(p)?.split('.')[0];
    if (!field || !hidden.has(field) || outputs.has(field)) continue;
    let entry = out.get(field);
    if (!entry) out.set(field, (entry = { field, label: fieldLabel(lang, field), why: hiddenWhy(lang, node, field), problems: [] }));
    entry.problems.push({ words: problemWords(lang, p, flow ?? { id: '', name: '', nodes: [node] }), severity: p.severity });
  }
  return [...out.values()];
}

function hiddenWhy(lang: Lang, node: DraftNode, field: string): string {
  const zh = lang === 'zh';
  if (field === 'subject') return zh ? '只有邮件有标题，这一步不是邮件，标题不会发出去' : 'only an email has a subject; this step is not an email, so it is never sent';
  if (field === 'overflow') return zh ? '只有「只取前面的」有「超出上限」分支，这一步的方式用不到它' : 'only "keep the first" has an "over the limit" branch; this step\'s mode does not use it';
  return zh ? `这一步用不到「${fieldLabel(lang, field)}」` : `this step does not use ${fieldLabel(lang, field)}`;
}

/** The card's marker for problems in fields its form does not show, in words (null: none). */
export function hiddenProblemsMarker(lang: Lang, hidden: readonly HiddenFieldProblems[]): string | null {
  if (hidden.length === 0) return null;
  const n = hidden.reduce((k, h) => k + h.problems.length, 0);
  const names = hidden.map((h) => (lang === 'zh' ? `「${h.label}」` : `"${h.label}"`)).join(lang === 'zh' ? '、' : ', ');
  return lang === 'zh' ? `表单里看不到的${names}有 ${n} 个问题` : `${n} problem(s) in ${names}, which the form does not show`;
}

/** The channels a send step can fall back to: every channel but its own (falling back to itself sends nothing new). */
export function fallbackChoices(node: { channel?: unknown }, channels: readonly string[]): string[] {
  return channels.filter((c) => c !== node.channel);
}

/**
 * What a group limit does in its chosen mode, said under the mode (the default is split, as the
 * engine reads a limit without one).
 */
export function limitModeWords(lang: Lang, node: { max?: unknown; mode?: unknown }): string {
  const zh = lang === 'zh';
  const max = typeof node.max === 'number' ? node.max.toLocaleString(zh ? 'zh-CN' : 'en-US') : zh ? 'N' : 'N';
  switch (node.mode) {
    case 'keep':
      return zh ? `前 ${max} 位顾客走「下一步」，之后来的走「超出上限」分支（没有连线则离开旅程）` : `The first ${max} customers go on; the rest take "over the limit" (or leave the journey when it is not connected)`;
    case 'spread':
      return zh ? `每天最多 ${max} 位顾客走「下一步」，其余的等到第二天，没有人被挡在外面` : `At most ${max} customers go on each day; the rest wait for the next day, nobody is turned away`;
    default:
      return zh
        ? `每 ${max} 位顾客分成一组，全部走「下一步」，没有人超出上限；每组单独统计，方便按组比较`
        : `Every ${max} customers form a group and all go on, nobody is over the limit; each group is counted on its own for comparison`;
  }
}
