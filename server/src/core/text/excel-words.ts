/**
 * The codes the exports write (a send's status and why it was held back, a channel, a step's type,
 * a customer's lifecycle stage…) in the words the designer shows for them, for the Excel variants
 * (excel-sheet.ts): an operator in a Chinese shop reads 被拦截：没有短信营销许可, not
 * `blocked` / `no-consent:sms`. The plain CSV keeps the codes (integrations match on them).
 *
 * The designer's words live in its bundle (designer/src/model: i18n.ts, reason-words.ts,
 * fields.ts, words.ts, report-warning-words.ts), which the server does not load; these are the
 * same words, and tests/unit/excel-words.test.ts pins them equal to the designer's for every code
 * both know. A code neither knows is written as it is.
 */

import { TITLE_CATEGORIES } from '../data/import/title-categories.js';
import type { ListTitles } from '../policy/list-title.js';

const word = (table: Readonly<Record<string, string>>, code: unknown): string => {
  const s = String(code);
  return Object.hasOwn(table, s) ? table[s] : s;
};

/** A send's status as the designer's send table says it (i18n send.*). */
export const SEND_STATUS_WORDS: Readonly<Record<string, string>> = {
  queued: '待发送',
  sending: '发送中',
  sent: '已发送',
  skipped: '未发送',
  blocked: '被拦截',
  failed: '发送失败',
};

/** Channels as the designer's cards name them (summary.ts). */
export const CHANNEL_WORDS: Readonly<Record<string, string>> = { sms: '短信', email: '邮件', wechat: '微信', wangwang: '旺旺', push: '推送' };

/** A message's category (fields.ts). */
export const CATEGORY_WORDS: Readonly<Record<string, string>> = { marketing: '营销', care: '关怀', transactional: '交易通知', urgent: '紧急' };

/** A step's type as the designer's palette names it (i18n type.*). */
export const NODE_TYPE_WORDS: Readonly<Record<string, string>> = {
  entry: '入口',
  condition: '条件判断',
  switch: '多路分支',
  split: 'A/B 分流',
  wait: '等待',
  waitForEvent: '等待响应',
  send: '发送消息',
  action: '动作',
  limit: '分组上限',
  exit: '结束',
};

/** A customer's lifecycle stage and device as the customer page says them (words.ts valueWords). */
export const CUSTOMER_VALUE_WORDS: Readonly<Record<string, string>> = {
  active: '活跃',
  silent: '沉默',
  sleeping: '沉睡',
  lost: '流失',
  prospect: '潜在客户（未购买）',
  mobile: '手机',
  pc: '电脑',
};

/**
 * The product category codes the Taobao import reads from titles (core/data/import/title-categories.ts:
 * the demo shop's clothing in the catalogue's own labels, and tea, food, beauty…), and `other`, what
 * it files an unknown title under; a shop's own codes stay as stored.
 */
export const PRODUCT_CATEGORY_WORDS: Readonly<Record<string, string>> = {
  ...Object.fromEntries(TITLE_CATEGORIES.map((c) => [c.name, c.label])),
  other: '其他',
};

/**
 * The send log's coupon status (send-log.ts couponOfRow). The designer has no words of its own for
 * these (it shows a coupon by its code); these say what the log's column means.
 */
export const COUPON_STATUS_WORDS: Readonly<Record<string, string>> = {
  issued: '已发放',
  used: '已使用',
  voided: '已作废',
  'issued earlier': '沿用此前发放的券',
  'not issued': '未发放',
};

export const sendStatusWords = (code: unknown) => word(SEND_STATUS_WORDS, code);
export const channelWords = (code: unknown) => word(CHANNEL_WORDS, code);
export const categoryWords = (code: unknown) => word(CATEGORY_WORDS, code);
export const nodeTypeWords = (code: unknown) => word(NODE_TYPE_WORDS, code);
export const customerValueWords = (code: unknown) => word(CUSTOMER_VALUE_WORDS, code);
export const couponStatusWords = (code: unknown) => word(COUPON_STATUS_WORDS, code);
/** A list of product category codes as the exports join them (`dress|coat`), each in words. */
export const productCategoriesWords = (joined: unknown) => String(joined).split('|').map((c) => word(PRODUCT_CATEGORY_WORDS, c)).join('|');

/** Block lists' titles by list name (rules/lists/<name>.txt's `# title:` line; a list without one: absent or null). */
export type { ListTitles };

/**
 * Why a send was held back, or what ended a step (sends.reason, the funnel's held-back columns), as
 * the designer's reasonWords says it in Chinese; a cap by its id (the designer names it by its
 * description where it has the policy loaded). A block list by its title (`listTitles`: 在屏蔽名单「差评顾客」中,
 * as the designer says it), its id where it has none.
 */
export function reasonWords(reason: string | null | undefined, listTitles: ListTitles = {}): string {
  if (!reason) return '';
  const [kind, a, b] = reason.split(':');
  const ch = channelWords(a ?? '');
  switch (kind) {
    case 'capped':
      return `触达频次已满（${a}）`;
    case 'quiet-hours':
      return `${ch}免打扰时段${b === 'expired' ? '，错过了发送窗口' : '，等到允许的时间'}`;
    case 'no-consent':
      return `没有${ch}营销许可`;
    case 'no-address':
      return `没有${ch}联系方式`;
    case 'unsubscribed':
      return a ? `已退订${ch}` : '已退订所有营销';
    case 'blocked': {
      const title = a === 'list' && b && Object.hasOwn(listTitles, b) ? listTitles[b] : null;
      return `在屏蔽名单「${title || (b ?? a)}」中`;
    }
    case 'no-coupon':
      return '文案提到优惠券，但客户在此旅程中没有领到券';
    case 'coupon-used':
      return '此旅程发的券客户已经用过，不再发第二张';
    case 'given-up':
      return '多次触达未响应，暂停联系';
    case 'share-limit':
      return `活动「${a}」的多次触达比例已满`;
    case 'fallback':
      return `改用备用渠道：${reasonWords(reason.slice('fallback:'.length), listTitles)}`;
    case 'group-full':
      return '分组人数已满';
    case 'event-too-old':
      return '事件太旧（超过入口的事件有效期），不再进入';
    case 'key-missing':
      return '事件没有带旅程的区分字段（如订单号），不进入';
    case 'reentry-never':
      return '此旅程不允许重复进入';
    case 'already-in-journey':
      return '已经在旅程中';
    case 'customer-removed':
      return '客户已被删除';
    case 'flow-stopped':
      return '旅程已停止';
    case 'exit':
      return '到达结束';
    case 'goal':
      return '达成目标';
    default:
      return reason;
  }
}

/**
 * reasonWords with the shop's list titles, as an export's column words: the titles are read once for
 * the export (a list file each) and passed here, never read again for each row.
 */
export const reasonWordsWith = (listTitles: ListTitles) => (reason: string) => reasonWords(reason, listTitles);

/** A delivery error as the server summarised it (sends.last_error): the simulated channel's in words, a provider's as it said it. */
export function deliveryErrorWords(error: string | null | undefined): string {
  if (!error) return '';
  if (error === 'simulated: not delivered') return '模拟渠道未送达';
  if (error === 'no error recorded') return '渠道没有给出原因';
  return error;
}

/**
 * Why an experiment report has not enough data yet (enough-data.ts), as the designer's experiment
 * panel says it (report-warning-words.ts notEnoughWords), the control arm named by `controlName`.
 */
export function notEnoughDataWords(reason: string | null | undefined, minPerArm: number, control: string | null, controlName: string | null = control): string {
  if (!reason) return '';
  if (reason === 'no-baseline' && control) return `数据还不够：对照组「${controlName ?? control}」还没有人响应，无法估算每组需要多少顾客；先不比较响应率和最优概率`;
  if (reason === 'few-customers' || reason === 'no-baseline') return `数据还不够：每组至少需要 ${minPerArm} 位顾客才能比较`;
  return reason;
}
