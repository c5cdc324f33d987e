import type { Lang } from './i18n.js';

/** What the customer did in a journey, as GET /api/customers/:id/journey lists it under `answers`. */
export type JourneyAnswer = { at: string; node: string; sendId: number } & ({ kind: 'clicked' } | { kind: 'coupon-used'; code: string; amount: number; order: string | null });

/** The event a step names (`event`): the paid order that ended the journey at its goal, say. */
export interface StepEvent {
  type: string;
  at: string | null;
  orderId: string | null;
  amount: number | null;
}

// Money as money: ¥, thousands separators and the cents of an order (¥1,299.00, not ¥1299.00).
const yuan = (v: number) => `¥${v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** A click or a coupon used, in the marketer's words (the code and order id are the shop's own: shown as they are). */
export function answerWords(lang: Lang, a: JourneyAnswer): string {
  const zh = lang === 'zh';
  if (a.kind === 'clicked') return zh ? '点击了消息里的链接' : "clicked the message's link";
  const order = a.order ? (zh ? `，订单 ${a.order}` : ` in order ${a.order}`) : '';
  return zh ? `使用了优惠券 ${a.code}（减 ${yuan(a.amount)}${order}）` : `used coupon ${a.code} (${yuan(a.amount)} off${order})`;
}

/** The order (or other event) a step names, after the step's own words: "订单 sim-1 已付款 ¥260.00". */
export function stepEventWords(lang: Lang, ev: StepEvent): string {
  const zh = lang === 'zh';
  if (!ev.orderId) return '';
  const amount = ev.amount !== null ? ` ${yuan(ev.amount)}` : '';
  if (ev.type === 'order_paid') return zh ? `订单 ${ev.orderId} 已付款${amount}` : `order ${ev.orderId} paid${amount}`;
  return zh ? `订单 ${ev.orderId}${amount}` : `order ${ev.orderId}${amount}`;
}

/** A journey's steps and answers in one path, by time (a step before an answer at the same instant). */
export function journeyPath<S extends { at: string | null }>(steps: readonly S[], answers: readonly JourneyAnswer[] | undefined): ({ step: S } | { answer: JourneyAnswer })[] {
  const items: { at: string; order: number; item: { step: S } | { answer: JourneyAnswer } }[] = [
    ...steps.map((step, i) => ({ at: step.at ?? '', order: i, item: { step } })),
    ...(answers ?? []).map((answer, i) => ({ at: answer.at, order: steps.length + i, item: { answer } })),
  ];
  return items.sort((a, b) => a.at.localeCompare(b.at) || a.order - b.order).map((x) => x.item);
}
