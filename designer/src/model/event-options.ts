import type { Lang } from './i18n.js';
import { declaredEventWords, eventLabel } from './summary.js';

/**
 * The choices of an event field (entry trigger, waitForEvent, 提前结束条件): the events the shop
 * knows (GET /api/event-types: the system's, the ones rules/shop.yaml declares, the ones only
 * seen in its log), each in the words its card uses — 付款, 取消订单, 客户在微信里回复了… (a
 * declared event's description without the quotes a card's sentence puts around it) — never the
 * raw code. (An event the shop does not know yet is typed under 其他事件 in the form.)
 */
export interface EventChoice {
  value: string;
  label: string;
  kind: 'system' | 'declared' | 'seen';
}

export function eventChoices(lang: Lang, events: readonly { name: string; system: boolean; declared: boolean; description: string | null }[]): EventChoice[] {
  const declared = declaredEventWords(events);
  const zh = lang === 'zh';
  return events.map((e) => {
    if (e.system) return { value: e.name, label: eventLabel(lang, e.name), kind: 'system' };
    // The shop's description as it wrote it: quotes set it off inside a sentence (当「…」时), but an
    // option of a list is the description alone (the list showed 「客户在微信里回复了店铺的消息」 in quotes).
    if (e.declared) return { value: e.name, label: declared.get(e.name) ?? eventLabel(lang, e.name), kind: 'declared' };
    // Seen in the log but declared nowhere: the shop never gave it words, so its name is all there is.
    return { value: e.name, label: zh ? `${e.name}（店铺发来过的事件）` : `${e.name} (sent by the shop)`, kind: 'seen' };
  });
}
