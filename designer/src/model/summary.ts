import { durationWords } from './duration.js';
import { formatDateTime, formatMoney } from './format.js';
import type { Lang } from './i18n.js';
import type { DraftNode } from './types.js';
import { withStandIns } from './message-stand-ins.js';
import { NO_SEGMENT_TITLES, segmentLabel, type SegmentTitles } from './segment-words.js';
import { conditionsWords } from './words.js';

/**
 * What a card on the canvas says in one line: "等待 3 天", "短信：亲，您的订单…",
 * "客单价 > ¥200". Pure, so the same words appear in tests and on screen.
 */
const CHANNEL: Record<string, Record<Lang, string>> = {
  sms: { zh: '短信', en: 'SMS' },
  email: { zh: '邮件', en: 'Email' },
  wechat: { zh: '微信', en: 'WeChat' },
  wangwang: { zh: '旺旺', en: 'Wangwang' },
  push: { zh: '推送', en: 'Push' },
};
export const channelLabel = (lang: Lang, c: unknown) => CHANNEL[String(c)]?.[lang] ?? String(c ?? '');
/** One of the channels the designer names (短信, 邮件, 微信, 旺旺, 推送). */
export const isKnownChannel = (c: unknown): c is string => typeof c === 'string' && Object.hasOwn(CHANNEL, c);

const EVENT: Record<string, Record<Lang, string>> = {
  order_created: { zh: '下单', en: 'order placed' },
  order_paid: { zh: '付款', en: 'order paid' },
  order_shipped: { zh: '发货', en: 'order shipped' },
  order_delivered: { zh: '收货', en: 'order delivered' },
  order_refunded: { zh: '退款', en: 'order refunded' },
  order_cancelled: { zh: '取消订单', en: 'order cancelled' },
  order_signed: { zh: '签收', en: 'order signed for' },
  coupon_redeemed: { zh: '用券', en: 'coupon used' },
  click: { zh: '点击链接', en: 'link clicked' },
  unsubscribe: { zh: '退订', en: 'unsubscribed' },
  link_clicked: { zh: '点击链接', en: 'link clicked' },
  message_clicked: { zh: '点击消息', en: 'message clicked' },
  unsubscribed: { zh: '退订', en: 'unsubscribed' },
};

/**
 * The shop's own events that rules/shop.yaml declares (`events:`, GET /api/event-types), by name:
 * the description the shop wrote for each. A card says "当「客户在微信里回复了店铺的消息」时" where it
 * said the raw wechat_reply, as the inspector's event field already offers it; the raw name stays
 * in the card's tooltip (declaredEventsOn).
 */
export type DeclaredEvents = ReadonlyMap<string, string>;
export const NO_DECLARED_EVENTS: DeclaredEvents = new Map();

export function declaredEventWords(events: readonly { name: string; system?: boolean; declared: boolean; description: string | null }[]): DeclaredEvents {
  return new Map(events.filter((e) => e.declared && !e.system && e.description?.trim()).map((e) => [e.name, e.description!.trim()]));
}

/** An event in words: the system's own words, a declared event's description (the shop's words, quoted), else its name. */
export const eventLabel = (lang: Lang, e: unknown, declared: DeclaredEvents = NO_DECLARED_EVENTS) => {
  const said = EVENT[String(e)]?.[lang];
  if (said) return said;
  const own = declared.get(String(e));
  return own ? (lang === 'zh' ? `「${own}」` : `"${own}"`) : String(e ?? '');
};

/** A waitForEvent card's list of events in one phrase: 付款、点击链接或「…」. */
export function eventListWords(lang: Lang, labels: readonly string[]): string {
  if (labels.length < 2) return labels.join('');
  return lang === 'zh' ? `${labels.slice(0, -1).join('、')}或${labels[labels.length - 1]}` : `${labels.slice(0, -1).join(', ')} or ${labels[labels.length - 1]}`;
}

/** The names of declared events a card shows by their description: its tooltip says them raw. */
export function declaredEventsOn(node: DraftNode, declared: DeclaredEvents): string[] {
  const names = node.type === 'entry' ? [((node.trigger ?? {}) as Record<string, unknown>).event] : node.type === 'waitForEvent' ? ((node.events as unknown[] | undefined) ?? []) : [];
  return names.filter((n): n is string => typeof n === 'string' && !EVENT[n] && declared.has(n));
}

const ACTION: Record<string, Record<Lang, string>> = {
  issueCoupon: { zh: '发优惠券', en: 'Give a coupon' },
  addTag: { zh: '打标签', en: 'Add a tag' },
  removeTag: { zh: '去掉标签', en: 'Remove a tag' },
  setAttribute: { zh: '设置客户属性', en: 'Set a customer attribute' },
};

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…` : s);
/** As clip, but a stand-in (〈订单号〉) is kept whole: a card never shows half of one (〈订…). */
function clipWhole(s: string, n: number): string {
  if (s.length <= n) return s;
  const open = Math.max(s.lastIndexOf('〈', n - 1), s.lastIndexOf('‹', n - 1));
  const close = open < 0 ? -1 : s.slice(open).search(/[〉›]/);
  const end = open >= 0 && close >= 0 && open + close >= n ? open + close + 1 : n;
  return end >= s.length ? s : `${s.slice(0, end)}…`;
}

/** A trigger in words; a segment by its title (segments: GET /api/segments), else its id. */
export function triggerWords(lang: Lang, trigger: unknown, timeZone?: string, declared: DeclaredEvents = NO_DECLARED_EVENTS, segments: SegmentTitles = NO_SEGMENT_TITLES): string {
  const tr = (trigger ?? {}) as Record<string, unknown>;
  const zh = lang === 'zh';
  const seg = segmentLabel(tr.segment, segments);
  switch (tr.type) {
    case 'event':
      // A declared event's description is a whole sentence of its own ("客户在微信里回复了…"): no 顾客 before it.
      if (!EVENT[String(tr.event)] && declared.has(String(tr.event))) return zh ? `当${eventLabel(lang, tr.event, declared)}时` : `When: ${eventLabel(lang, tr.event, declared)}`;
      return zh ? `当顾客${eventLabel(lang, tr.event)}时` : `When a customer: ${eventLabel(lang, tr.event)}`;
    case 'schedule':
      return tr.every === 'hour' ? (zh ? `每小时：${seg}` : `Hourly: ${seg}`) : zh ? `每天 ${String(tr.at ?? '09:00')}：${seg}` : `Daily at ${String(tr.at ?? '09:00')}: ${seg}`;
    case 'audience': {
      // No start time yet: said so, not an empty （ ） on the card.
      const at = typeof tr.startAt === 'string' ? Date.parse(tr.startAt) : NaN;
      const when = Number.isFinite(at) ? formatDateTime(lang, at, timeZone) : zh ? '未设开始时间' : 'no start time yet';
      return zh ? `一次性人群：${seg}（${when}）` : `One-off audience: ${seg} (${when})`;
    }
    default:
      return zh ? '（未设置入口）' : '(no entry set)';
  }
}

/** `journeyKey`: the flow's trigger.key (journeyKeyOf), so a message's {{key}} reads 〈订单号〉. */
export function nodeSummary(lang: Lang, node: DraftNode, timeZone?: string, declared: DeclaredEvents = NO_DECLARED_EVENTS, segments: SegmentTitles = NO_SEGMENT_TITLES, journeyKey?: string): string {
  const zh = lang === 'zh';
  switch (node.type) {
    case 'entry':
      return triggerWords(lang, node.trigger, timeZone, declared, segments);
    case 'wait':
      if (node.duration !== undefined) return zh ? `等待 ${durationWords(lang, node.duration)}` : `Wait ${durationWords(lang, node.duration)}`;
      if (node.untilTime !== undefined) return zh ? `等到 ${String(node.untilTime)}` : `Wait until ${String(node.untilTime)}`;
      if (node.untilDate !== undefined) return zh ? `等到 ${formatDateTime(lang, Date.parse(String(node.untilDate)), timeZone)}` : `Wait until ${formatDateTime(lang, Date.parse(String(node.untilDate)), timeZone)}`;
      return zh ? '等待（未设置时长）' : 'Wait (no duration yet)';
    case 'waitForEvent': {
      const events = eventListWords(lang, ((node.events as string[] | undefined) ?? []).map((e) => eventLabel(lang, e, declared)));
      return zh ? `${durationWords(lang, node.within)}内等待${events || '响应'}` : `Wait up to ${durationWords(lang, node.within)} for ${events || 'a response'}`;
    }
    case 'send': {
      // Variables as stand-ins (〈订单号〉), never the raw {{key}} the marketer would not write to a customer.
      // The subject only for an email: an SMS carrying one (from a file) never sends it, and its card read the subject, not the message.
      const shown = node.channel === 'email' ? (node.subject ?? node.template) : node.template;
      const text = withStandIns(lang, String(shown ?? ''), journeyKey).replace(/\s+/g, ' ');
      // A channel the designer does not know (an imported file's "fax") is not shown as its code.
      const channel = isKnownChannel(node.channel) ? channelLabel(lang, node.channel) : zh ? '未选渠道' : 'no channel';
      return `${channel}${zh ? '：' : ': '}${clipWhole(text, 14)}`;
    }
    case 'condition':
      return node.rule ? (zh ? `符合人群：${segmentLabel(node.rule, segments)}` : `Matches rule: ${segmentLabel(node.rule, segments)}`) : conditionsWords(lang, node.conditions);
    case 'switch': {
      const n = Array.isArray(node.cases) ? node.cases.length : 0;
      return zh ? `${n} 个分支 + 其他` : `${n} branches + else`;
    }
    case 'split': {
      const arms = Array.isArray(node.arms) ? (node.arms as Record<string, unknown>[]) : [];
      return arms.map((a) => `${String(a.label ?? a.id)} ${typeof a.weight === 'number' ? a.weight + '%' : ''}`.trim()).join(' / ');
    }
    case 'action': {
      const a = (node.action ?? {}) as Record<string, unknown>;
      const what = ACTION[String(a.kind)]?.[lang] ?? String(a.kind ?? '');
      if (a.kind === 'issueCoupon') return `${what} ${typeof a.value === 'number' ? formatMoney(lang, a.value) : `¥${String(a.value ?? '?')}`}`;
      // The tag is the shop's own word (often Latin, e.g. given-up): quoted, so the sentence reads 打标签「given-up」.
      if (a.kind === 'addTag' || a.kind === 'removeTag') return zh ? `${what}「${String(a.tag ?? '')}」` : `${what} "${String(a.tag ?? '')}"`;
      return what;
    }
    case 'limit':
      return zh ? `每组最多 ${String(node.max ?? '?')} 人` : `At most ${String(node.max ?? '?')} per group`;
    case 'exit':
      return node.goal ? (zh ? '达成目标' : 'Goal reached') : zh ? '结束' : 'End';
  }
}
