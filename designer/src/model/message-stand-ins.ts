import { translate, type Lang } from './i18n.js';
import { propertyWords } from './journey-key-words.js';
import type { DraftFlow } from './types.js';
import { factLabel } from './words.js';

/**
 * A message template as a card shows it: each variable as a readable stand-in (〈订单号〉,
 * 〈顾客姓名〉), never `{{key}}`. The words are the ones the message panel's 可用变量 list offers
 * (i18n msg.var.*, the fact catalogue's labels); {{key}} is named by what keys the journey
 * (trigger.key: orderId → 订单号), since that is what the customer will read there.
 */
const VARIABLE_WORDS: Record<string, string> = {
  'customer.name': 'msg.var.name',
  link: 'msg.var.link',
  'coupon.code': 'msg.var.couponCode',
  'coupon.amount': 'msg.var.couponAmount',
  'coupon.expires': 'msg.var.couponExpires',
};

/** The property that keys the journey (the entry's trigger.key), if the flow says one. */
export function journeyKeyOf(flow: Pick<DraftFlow, 'nodes'> | undefined): string | undefined {
  const entry = flow?.nodes.find((n) => n.type === 'entry');
  const key = (entry?.trigger as { key?: unknown } | undefined)?.key;
  return typeof key === 'string' && key.trim() ? key.trim() : undefined;
}

/**
 * What {{key}} prints in a journey that keys nothing (its entry's 区分旅程 is 不区分): empty text,
 * said so on the card in words the entry's form uses, never the jargon 旅程关键值.
 */
const NO_KEY = { zh: '空白：入口选了「不区分」', en: 'blank: the entry keys no journey' };

/** One variable's name in words (without the brackets). */
export function variableWords(lang: Lang, name: string, journeyKey?: string): string {
  if (name === 'key') return journeyKey ? propertyWords(lang, journeyKey) : NO_KEY[lang];
  const said = VARIABLE_WORDS[name];
  if (said) return translate(lang, said);
  if (name.startsWith('facts.')) return factLabel(lang, name.slice('facts.'.length));
  // A variable the designer has no words for (a typo the problem list names): its own name, still without braces.
  return name;
}

/** `text` with every {{variable}} replaced by 〈its name in words〉 (English: ‹…›). */
export function withStandIns(lang: Lang, text: string, journeyKey?: string): string {
  const [open, close] = lang === 'zh' ? ['〈', '〉'] : ['‹', '›'];
  return text.replace(/\{\{\s*([^{}]*?)\s*\}\}/g, (_, name: string) => `${open}${variableWords(lang, name, journeyKey) || '?'}${close}`);
}

/**
 * {{key}} as the message panel's 可用变量 offers it: named by what keys this journey (订单号, 券码),
 * and not offered at all where nothing does (it would print empty text).
 */
export function keyVariable(lang: Lang, journeyKey: string | undefined): [placeholder: string, words: string] | null {
  return journeyKey ? ['{{key}}', propertyWords(lang, journeyKey)] : null;
}
