import type { Lang } from './i18n.js';

/**
 * An event property a journey is keyed or matched by, in words: "订单号", not "orderId". The raw
 * name is what the flow file and the API say; the designer shows it only as a secondary hint.
 */
const PROPERTY: Record<string, { zh: string; en: string; eachZh: string; eachEn: string; sameZh: string; sameEn: string }> = {
  orderId: { zh: '订单号', en: 'order number', eachZh: '每笔订单', eachEn: 'each order', sameZh: '同一笔订单', sameEn: 'the same order' },
  code: { zh: '券码', en: 'coupon code', eachZh: '每张券', eachEn: 'each coupon', sameZh: '同一张券', sameEn: 'the same coupon' },
};

/** The order events' payload (core/data/order-events.ts): the order number tells one order's journey from another's. */
const ORDER_EVENTS = ['order_created', 'order_paid', 'order_cancelled', 'order_refunded', 'order_shipped', 'order_signed'];
/**
 * What the shop's own system events carry that can key a journey: a link click (sendId, flowId,
 * nodeId, url: api/channels/link-clicks.service.ts) and an opt-out carry nothing that tells one
 * journey of a customer from another.
 */
const SYSTEM_KEYS: Record<string, string[]> = {
  ...Object.fromEntries(ORDER_EVENTS.map((e) => [e, ['orderId']])),
  coupon_redeemed: ['code', 'orderId'],
  click: [],
  unsubscribe: [],
};

/**
 * The properties the event is known to carry (a system event's payload, a declared event's
 * fields), or null when the designer cannot tell: an event it knows nothing of may carry any.
 */
export function knownEventKeys(event: unknown, events: readonly { name: string; fields: Record<string, string> | null }[] = []): string[] | null {
  const name = typeof event === 'string' ? event : '';
  const declared = events.find((e) => e.name === name)?.fields;
  return SYSTEM_KEYS[name] ?? (declared ? Object.keys(declared) : null);
}

/** The key a new order-triggered entry starts with (订单号: a payment reminder per order, not per customer); none for other events. */
export function defaultEventKey(event: unknown): string | undefined {
  return typeof event === 'string' && ORDER_EVENTS.includes(event) ? 'orderId' : undefined;
}

/**
 * The properties the trigger event is known to carry, for the journey key's picker: [raw key,
 * words]. A system event's from the engine's own payload (订单号 for the order events), a declared
 * event's from rules/shop.yaml (`fields`, by name: the shop named them); an event the designer
 * knows nothing of offers the properties it can name (it may carry them).
 */
export function eventKeyChoices(lang: Lang, event: unknown, events: readonly { name: string; fields: Record<string, string> | null }[] = []): [string, string][] {
  const name = typeof event === 'string' ? event : '';
  const declared = events.find((e) => e.name === name)?.fields;
  const keys = SYSTEM_KEYS[name] ?? (declared ? Object.keys(declared) : Object.keys(PROPERTY));
  return keys.map((k) => [k, propertyWords(lang, k)]);
}

/** The property's name for a marketer, or the raw name when the designer has no words for it. */
export function propertyWords(lang: Lang, key: string): string {
  return PROPERTY[key]?.[lang] ?? key;
}

/** The properties the designer can name, for a picker: [raw key, words]. */
export function knownProperties(lang: Lang): [string, string][] {
  return Object.entries(PROPERTY).map(([k, w]) => [k, w[lang]]);
}

/** The key in words for the re-entry sentence (model/reentry-words.ts): 订单号, 每笔订单, 同一笔订单. */
export function journeyKeyParts(lang: Lang, key: string): { name: string; each: string; same: string } {
  const w = PROPERTY[key];
  if (lang === 'zh') return w ? { name: w.zh, each: w.eachZh, same: w.sameZh } : { name: `事件属性「${key}」`, each: `每个不同的「${key}」`, same: `同一个「${key}」` };
  return w ? { name: w.en, each: w.eachEn, same: w.sameEn } : { name: key, each: `each ${key}`, same: `the same ${key}` };
}

/**
 * The 匹配条件 choice "equal to this journey's key" ($key), said by what keys the journey:
 * 本旅程的订单号; in a journey keyed by nothing the key is always empty, and it says so.
 */
export function matchKeyWords(lang: Lang, journeyKey: string | undefined): string {
  if (journeyKey) return lang === 'zh' ? `本旅程的${propertyWords(lang, journeyKey)}` : `this journey's ${propertyWords(lang, journeyKey)}`;
  return lang === 'zh' ? '本旅程的关键值（入口选了「不区分」：总是空的）' : "this journey's key (the entry keys no journey: always empty)";
}
