import { outputsOf, targetOf } from './handles.js';
import type { Lang } from './i18n.js';
import type { DraftFlow, DraftNode } from './types.js';

/**
 * A send step's kind (`category`: marketing, care, transactional; docs/policy.md) as what the step
 * is. A new send step takes the kind of where it is added, not always 营销: a reminder of an
 * unpaid order (催付) added as 营销 took a slot of the shop's marketing caps (one marketing message a
 * day), and the give-up rule and block lists held it back. The same reading of "a payment
 * reminder" as `rekindle validate`'s (server/src/core/flow/send-kind-checks.ts): a journey that
 * starts at 下单 (order_created: one unpaid order), or a step after the 超时 of a wait for this
 * order's payment (付款 matched on the order number). A journey that starts at 付款 / 发货 / 签收 is
 * after-sales care (关怀). Anything else is marketing.
 */
export type SendKind = 'marketing' | 'care' | 'transactional';
export const SEND_KINDS: readonly SendKind[] = ['marketing', 'care', 'transactional'];

/** Why a step takes its default kind: the journey's trigger, a wait for payment before it, or neither. */
export type KindReason = 'order-created' | 'unpaid-wait' | 'after-purchase' | 'none';

const AFTER_PURCHASE = new Set(['order_paid', 'order_shipped', 'order_signed']);

function triggerOf(flow: DraftFlow): Record<string, unknown> {
  return (flow.nodes.find((n) => n.type === 'entry')?.trigger ?? {}) as Record<string, unknown>;
}

/** The steps reached after the 超时 of a wait for this order's payment (order_paid matched on orderId = $key). */
function afterUnpaidWait(flow: DraftFlow): Set<string> {
  const byId = new Map(flow.nodes.map((n) => [n.id, n]));
  const out = new Set<string>();
  for (const n of flow.nodes) {
    if (n.type !== 'waitForEvent' || !Array.isArray(n.events) || !(n.events as unknown[]).includes('order_paid')) continue;
    if ((n.match as Record<string, unknown> | undefined)?.orderId !== '$key') continue;
    const queue = [targetOf(n, 'timedOut')].filter((x): x is string => !!x);
    while (queue.length) {
      const id = queue.pop()!;
      const step = byId.get(id);
      if (!step || out.has(id)) continue;
      out.add(id);
      for (const h of outputsOf(step)) {
        const t = targetOf(step, h.id);
        if (t) queue.push(t);
      }
    }
  }
  return out;
}

/** The kind a send step `id` of `flow` takes by default, and why. */
export function defaultSendKind(flow: DraftFlow, id: string): { kind: SendKind; reason: KindReason } {
  const trigger = triggerOf(flow);
  if (trigger.type === 'event' && trigger.event === 'order_created') return { kind: 'transactional', reason: 'order-created' };
  if (afterUnpaidWait(flow).has(id)) return { kind: 'transactional', reason: 'unpaid-wait' };
  if (trigger.type === 'event' && AFTER_PURCHASE.has(String(trigger.event))) return { kind: 'care', reason: 'after-purchase' };
  return { kind: 'marketing', reason: 'none' };
}

/** A new send step as drawn into `flow` (already connected where it was added): its kind set by defaultSendKind. */
export function withDefaultKind(flow: DraftFlow, node: DraftNode): DraftNode {
  if (node.type !== 'send') return node;
  return { ...node, category: defaultSendKind(flow, node.id).kind };
}

const NAME: Record<SendKind, Record<Lang, string>> = {
  marketing: { zh: '营销', en: 'marketing' },
  care: { zh: '关怀', en: 'care' },
  transactional: { zh: '交易通知', en: 'transactional' },
};

/** A kind in words (营销 / 关怀 / 交易通知); the schema's default (marketing) when none is set. */
export function kindName(lang: Lang, category: unknown): string {
  return NAME[(SEND_KINDS as readonly unknown[]).includes(category) ? (category as SendKind) : 'marketing'][lang];
}

/**
 * What the kind means for the step's messages under the contact policy (core/policy/review.ts):
 * which caps count it, whether give-up, block lists and unsubscribes hold it back. Quiet hours
 * hold every kind (unless the step is 紧急).
 */
export function kindMeaning(lang: Lang, category: unknown): string {
  const zh = lang === 'zh';
  switch (category) {
    case 'transactional':
      return zh
        ? '交易通知：关于顾客自己的订单（催付、发货通知），不计入只管营销的触达上限，不受「放弃」规则和屏蔽名单限制，退订营销的顾客也会收到；免打扰时段照常顺延'
        : 'Transactional: about the customer\'s own order (payment reminder, shipping notice); not counted by caps that only count marketing, not held back by give-up or block lists, reaches customers who unsubscribed from marketing; quiet hours still apply';
    case 'care':
      return zh
        ? '关怀：售后关怀、节日问候，不计入只管营销的触达上限，不受「放弃」规则和屏蔽名单限制；退订的顾客收不到；免打扰时段照常顺延'
        : 'Care: after-sales care, greetings; not counted by caps that only count marketing, not held back by give-up or block lists; not sent to customers who unsubscribed; quiet hours still apply';
    default:
      return zh
        ? '营销：计入店铺的营销触达上限（例如每天 1 条），受「放弃」规则、屏蔽名单和退订限制；免打扰时段照常顺延'
        : 'Marketing: counted by the shop\'s marketing caps (e.g. one a day), held back by give-up, block lists and unsubscribes; quiet hours still apply';
  }
}

/** Why the step's context suggests its kind, in words; null when nothing in the journey suggests one (marketing). */
export function kindReasonWords(lang: Lang, reason: KindReason): string | null {
  const zh = lang === 'zh';
  switch (reason) {
    case 'order-created':
      return zh ? '这个旅程由「下单」触发，发送的是关于这笔未付款订单的提醒（催付），所以默认是「交易通知」' : 'This journey starts when an order is placed: its messages remind of that unpaid order, so they default to transactional';
    case 'unpaid-wait':
      return zh ? '这一步在「等待这笔订单付款」超时之后，是催付提醒，所以默认是「交易通知」' : 'This step follows a wait for this order\'s payment that timed out: a payment reminder, so it defaults to transactional';
    case 'after-purchase':
      return zh ? '这个旅程在顾客购买之后开始（付款、发货或签收），所以默认是「关怀」' : 'This journey starts after a purchase (paid, shipped or signed), so its messages default to care';
    default:
      return null;
  }
}
