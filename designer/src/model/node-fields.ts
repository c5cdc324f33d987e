import type { Lang } from './i18n.js';
import type { DraftNode } from './types.js';

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
