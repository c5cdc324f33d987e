import type { Lang } from './i18n.js';

/**
 * An event property a journey is keyed or matched by, in words: "订单号", not "orderId". The raw
 * name is what the flow file and the API say; the designer shows it only as a secondary hint.
 */
const PROPERTY: Record<string, { zh: string; en: string; eachZh: string; eachEn: string }> = {
  orderId: { zh: '订单号', en: 'order number', eachZh: '每笔订单', eachEn: 'each order' },
};

/** The property's name for a marketer, or the raw name when the designer has no words for it. */
export function propertyWords(lang: Lang, key: string): string {
  return PROPERTY[key]?.[lang] ?? key;
}

/** The properties the designer can name, for a picker: [raw key, words]. */
export function knownProperties(lang: Lang): [string, string][] {
  return Object.entries(PROPERTY).map(([k, w]) => [k, w[lang]]);
}

/** "按订单号区分旅程：同一位顾客的每笔订单各走一遍" (publish dialog; trigger.key). */
export function journeyKeyWords(lang: Lang, key: string): string {
  const w = PROPERTY[key];
  if (lang === 'zh') return w ? `按${w.zh}区分旅程：同一位顾客的${w.eachZh}各走一遍` : `按事件属性「${key}」区分旅程：同一位顾客的每个不同的「${key}」各走一遍`;
  return w ? `One journey per ${w.en}: a customer goes through once for ${w.eachEn}` : `One journey per ${key}: a customer goes through once for each`;
}
