import { durationWords } from './duration.js';
import { translate, type Lang } from './i18n.js';
import { channelLabel, isKnownChannel } from './summary.js';
import type { DraftNode } from './types.js';

/**
 * What a step is called on its card, in the Problems panel and in the publish dialog: its label,
 * or — a step the marketer has not named (one just added from the palette) — a name in words from
 * what it does: 等待 1 天, 发送短信, 条件判断. Derived, not stored, so a wait changed to 3 天 is
 * called 等待 3 天 at once (a stored default would go stale), and the id ("wait-1") never shows.
 */
export function stepName(lang: Lang, node: DraftNode | undefined, id = ''): string {
  if (!node) return id;
  if (typeof node.label === 'string' && node.label.trim()) return node.label;
  const zh = lang === 'zh';
  if (node.type === 'wait' && typeof node.duration === 'string' && node.duration) return zh ? `等待 ${durationWords(lang, node.duration)}` : `Wait ${durationWords(lang, node.duration)}`;
  if (node.type === 'wait' && typeof node.untilTime === 'string' && node.untilTime) return zh ? `等到 ${node.untilTime}` : `Wait until ${node.untilTime}`;
  if (node.type === 'wait' && node.untilDate) return zh ? '等到日期' : 'Wait until a date';
  // A channel the designer does not know (an imported file's "fax") is no name for it: 发送消息.
  if (node.type === 'send' && isKnownChannel(node.channel)) return zh ? `发送${channelLabel(lang, node.channel)}` : `Send ${channelLabel(lang, node.channel)}`;
  return translate(lang, `type.${node.type}`);
}

/** stepName by id in a flow (the id itself when the flow has no such step: a removed one). */
export function stepNameIn(lang: Lang, nodes: readonly DraftNode[], id: string): string {
  return stepName(lang, nodes.find((n) => n.id === id), id);
}
