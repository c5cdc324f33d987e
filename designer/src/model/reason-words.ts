import { NO_CAP_NAMES, type CapNames } from './cap-words.js';
import type { Lang } from './i18n.js';
import { channelLabel, eventLabel, NO_DECLARED_EVENTS, type DeclaredEvents } from './summary.js';

/**
 * Why a send was held back, and what happened at a step, in the marketer's words (both
 * languages), from the codes the engine logs (sends.reason, journey_steps.outcome).
 */
export function reasonWords(lang: Lang, reason: string | null | undefined, caps: CapNames = NO_CAP_NAMES): string {
  if (!reason) return '';
  const zh = lang === 'zh';
  const [kind, a, b] = reason.split(':');
  const ch = channelLabel(lang, a);
  switch (kind) {
    case 'capped':
      // The cap by what it limits (its description, or its numbers: cap-words.ts) when known, its id otherwise.
      if (caps[a] !== undefined) return zh ? `触达上限已满：${caps[a]}` : `contact limit reached: ${caps[a]}`;
      return zh ? `触达频次已满（${a}）` : `frequency cap "${a}" was full`;
    case 'quiet-hours':
      return zh ? `${ch}免打扰时段${b === 'expired' ? '，错过了发送窗口' : '，等到允许的时间'}` : `quiet hours for ${ch}${b === 'expired' ? '; the send window passed' : ': waits for the next allowed time'}`;
    case 'no-consent':
      return zh ? `没有${ch}营销许可` : `no ${ch} consent`;
    case 'no-address':
      return zh ? `没有${ch}联系方式` : `no ${ch} address`;
    case 'unsubscribed':
      return zh ? (a ? `已退订${ch}` : '已退订所有营销') : a ? `unsubscribed from ${ch}` : 'unsubscribed from all marketing';
    case 'blocked': {
      // A block list by its title when the shop gave it one (`list:<name>` in the names: list-titles.ts).
      const list = (a === 'list' && b ? caps[`list:${b}`] : undefined) ?? b ?? a;
      return zh ? `在屏蔽名单「${list}」中` : `on block list "${list}"`;
    }
    case 'no-coupon':
      return zh ? '文案提到优惠券，但客户在此旅程中没有领到券' : 'the message names a coupon this journey never gave the customer';
    case 'coupon-used':
      return zh ? '此旅程发的券客户已经用过，不再发第二张' : 'the customer already used this journey\'s coupon; no second one';
    case 'given-up':
      return zh ? '多次触达未响应，暂停联系' : 'given up after unanswered touches';
    case 'share-limit':
      return zh ? `活动「${a}」的多次触达比例已满` : `campaign "${a}" reached its multi-touch share`;
    case 'fallback':
      return zh ? `改用备用渠道：${reasonWords(lang, reason.slice('fallback:'.length), caps)}` : `sent on the fallback channel: ${reasonWords(lang, reason.slice('fallback:'.length), caps)}`;
    case 'group-full':
      return zh ? '分组人数已满' : 'the group was full';
    case 'event-too-old':
      return zh ? '事件太旧（超过入口的事件有效期），不再进入' : 'the event was older than the entry\'s "ignore events older than"';
    case 'key-missing':
      return zh ? '事件没有带旅程的区分字段（如订单号），不进入' : "the event did not carry the journey's key (e.g. orderId)";
    case 'reentry-never':
      return zh ? '此旅程不允许重复进入' : 'this journey does not let customers in twice';
    case 'already-in-journey':
      return zh ? '已经在旅程中' : 'already in the journey';
    case 'customer-removed':
      return zh ? '客户已被删除' : 'the customer was removed';
    case 'flow-stopped':
      return zh ? '旅程已停止' : 'the journey was stopped';
    case 'exit':
      return zh ? '到达结束' : 'reached an end';
    case 'goal':
      return zh ? '达成目标' : 'reached the goal';
    default:
      return reason;
  }
}

/**
 * A delivery error as the server summarised it (sends.last_error, no stack or path). The
 * provider's own words stay as they are (the shop's content); the simulated channel's in words.
 */
export function deliveryErrorWords(lang: Lang, error: string | null | undefined): string {
  if (!error) return '';
  if (error === 'simulated: not delivered') return lang === 'zh' ? '模拟渠道未送达' : 'the simulated channel did not deliver it';
  if (error === 'no error recorded') return lang === 'zh' ? '渠道没有给出原因' : 'the channel gave no reason';
  return error;
}

const OUTCOMES: Record<string, Record<Lang, string>> = {
  entered: { zh: '进入旅程', en: 'entered' },
  waited: { zh: '等待结束', en: 'wait over' },
  yes: { zh: '条件：是', en: 'condition: yes' },
  no: { zh: '条件：否', en: 'condition: no' },
  // Handed to the outbox, not yet delivered: whether it went out is the send's status (send-step-words.ts).
  queued: { zh: '进入发送队列', en: 'queued to send' },
  sent: { zh: '消息已发出', en: 'message sent' },
  responded: { zh: '已响应', en: 'responded' },
  'timed-out': { zh: '等待超时', en: 'timed out' },
  timedOut: { zh: '等待超时', en: 'timed out' },
  completed: { zh: '完成', en: 'completed' },
  else: { zh: '走「其他」分支', en: 'took the else branch' },
  'awaiting-decision': { zh: '等待实验决策', en: 'awaiting the experiment decision' },
  'group-full': { zh: '分组已满', en: 'group full' },
};

/**
 * A journey-log outcome ("exited:exit", "arm:a", "skipped:no-consent:sms") in words; an event that
 * ended a journey early is named as the cards name it (a declared one by the shop's description).
 */
export interface OutcomeNames {
  /** The caps in words (cap-words.ts): "被限频" says which limit, not its id. */
  caps?: CapNames;
  /** An A/B arm's label (方案 A, 对照组) by its id, for the step whose outcomes these are. */
  arm?: (id: string) => string;
}

export function outcomeWords(lang: Lang, outcome: string, nodeLabel: (id: string) => string = (id) => id, declared: DeclaredEvents = NO_DECLARED_EVENTS, names: OutcomeNames = {}): string {
  const zh = lang === 'zh';
  if (OUTCOMES[outcome]) return OUTCOMES[outcome][lang];
  const [head, ...rest] = outcome.split(':');
  const tail = rest.join(':');
  switch (head) {
    case 'exited': {
      // exited:<reason>, or exited:<event> when an exitOn event that is not a goal ended it (order_cancelled).
      const said = reasonWords(lang, tail, names.caps);
      const why = said !== tail || tail.includes(':') ? said : zh ? `因「${eventLabel(lang, tail, declared).replace(/^「(.*)」$/, '$1')}」结束` : `ended by ${eventLabel(lang, tail, declared)}`;
      return zh ? `离开旅程：${why}` : `left the journey: ${why}`;
    }
    case 'completed': {
      // completed:<goal exit node> or completed:<event that ended it early (exitOn)>
      const what = nodeLabel(tail) !== tail ? nodeLabel(tail) : eventLabel(lang, tail, declared);
      return zh ? `达成目标（${what}）` : `reached the goal (${what})`;
    }
    case 'arm':
      return zh ? `分到「${names.arm?.(tail) ?? tail}」组` : `assigned to arm "${names.arm?.(tail) ?? tail}"`;
    case 'case':
      return zh ? `走分支「${tail}」` : `took branch "${tail}"`;
    case 'group':
      return zh ? `进入分组 ${tail}` : `in group ${tail}`;
    case 'capped':
    {
      // A capped branch logs "capped:" + the send's reason ("capped:capped:d11-touches"); older logs "capped:d11-touches".
      const reason = tail.startsWith('capped:') ? tail : outcome;
      return zh ? `被限频：${reasonWords(lang, reason, names.caps)}` : `capped: ${reasonWords(lang, reason, names.caps)}`;
    }
    case 'deferred':
      return zh ? `延后：${reasonWords(lang, tail, names.caps)}` : `deferred: ${reasonWords(lang, tail, names.caps)}`;
    case 'skipped':
    case 'blocked':
    case 'suppressed':
      return zh ? `未发送：${reasonWords(lang, tail, names.caps)}` : `not sent: ${reasonWords(lang, tail, names.caps)}`;
    case 'queued':
      return zh ? `进入发送队列${tail ? `（${reasonWords(lang, tail, names.caps)}）` : ''}` : `queued to send${tail ? ` (${reasonWords(lang, tail, names.caps)})` : ''}`;
    case 'sent':
      return zh ? `已发出${tail ? `（${reasonWords(lang, tail, names.caps)}）` : ''}` : `sent${tail ? ` (${reasonWords(lang, tail, names.caps)})` : ''}`;
    default:
      return outcome;
  }
}
