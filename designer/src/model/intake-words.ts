import type { Lang } from './i18n.js';
import { eventLabel, type DeclaredEvents, NO_DECLARED_EVENTS } from './summary.js';

/** One flow's line of `GET /api/events/intake` (server/src/api/journeys/intake-status.controller.ts). */
export interface FlowIntake {
  flowId: string;
  event: string;
  pending: number;
  oldestPendingAgeMs: number | null;
  matched: number;
  enrolled: number;
  lastLagMs: number | null;
  maxLagMs: number | null;
}

export function formatLag(lang: Lang, ms: number | null): string {
  if (ms === null) return '–';
  const zh = lang === 'zh';
  if (ms < 1000) return zh ? `${Math.round(ms)} 毫秒` : `${Math.round(ms)} ms`;
  if (ms < 120_000) return zh ? `${(ms / 1000).toFixed(1)} 秒` : `${(ms / 1000).toFixed(1)} s`;
  return zh ? `${Math.round(ms / 60_000)} 分钟` : `${Math.round(ms / 60_000)} min`;
}

/**
 * The live view's event-intake line in sentences. It read "事件接入 · 延迟 – · 最长 –" before any
 * event came, which told a marketer nothing: now it says which event the journey waits for, how
 * many came and entered, and how long from an event being stored to its journey starting.
 */
export function intakeWords(lang: Lang, row: FlowIntake, declared: DeclaredEvents = NO_DECLARED_EVENTS): string {
  const zh = lang === 'zh';
  // A declared event comes back quoted already (「…」): quote the system's words the same way.
  const said = eventLabel(lang, row.event, declared);
  const event = /^[「"]/.test(said) ? said : zh ? `「${said}」` : `"${said}"`;
  const parts: string[] = [];
  if (row.matched === 0 && row.pending === 0) {
    parts.push(zh ? `事件接入：还没有收到${event}事件` : `Event intake: no ${event} event received yet`);
  } else {
    // Journeys, not customers: a journey keyed by order (payment-reminder) starts once per order, so
    // "N 位顾客" counted 174,795 customers in a shop of 20,000 during an order burst.
    parts.push(zh ? `事件接入：收到${event}事件 ${row.matched} 个，开始了 ${row.enrolled} 段旅程` : `Event intake: ${row.matched} ${event} events received, ${row.enrolled} journeys started`);
    if (row.lastLagMs !== null) {
      parts.push(zh ? `从收到到进入旅程：最近 ${formatLag(lang, row.lastLagMs)}，最长 ${formatLag(lang, row.maxLagMs)}` : `from event to journey: last ${formatLag(lang, row.lastLagMs)}, worst ${formatLag(lang, row.maxLagMs)}`);
    }
  }
  if (row.pending > 0) parts.push(zh ? `待处理 ${row.pending} 个（最早的已等 ${formatLag(lang, row.oldestPendingAgeMs)}）` : `${row.pending} waiting (oldest ${formatLag(lang, row.oldestPendingAgeMs)})`);
  return parts.join(zh ? ' · ' : ' · ');
}

/** A type in the event log that neither the system records nor rules/shop.yaml declares (`undeclaredTypes` of the same answer). */
export interface UndeclaredType {
  type: string;
  didYouMean?: string;
}

/**
 * The live view's warning when the feed sends a near miss of the event this journey waits for
 * (`order_creatd` beside `order_created`): the intake line then says 还没有收到「下单」事件 while
 * events do arrive, and only this line tells the marketer why. Types that are one slip from some
 * other event are the developer's business (the API's answer, the metric), not this journey's.
 */
export function undeclaredNearMissWords(lang: Lang, event: string, types: readonly UndeclaredType[], declared: DeclaredEvents = NO_DECLARED_EVENTS): string | null {
  const near = types.filter((t) => t.didYouMean === event).map((t) => t.type);
  if (near.length === 0) return null;
  const said = eventLabel(lang, event, declared);
  const quoted = /^[「"]/.test(said) ? said : lang === 'zh' ? `「${said}」` : `"${said}"`;
  const list = near.join(lang === 'zh' ? '、' : ', ');
  return lang === 'zh'
    ? `注意：收到了未声明的事件类型 ${list}，像是${quoted}事件（${event}）写错了名字——这些事件不会让顾客进入旅程，请让对接方改正事件名`
    : `Note: events of undeclared type ${list} arrived, which look like a misspelt ${quoted} (${event}); they start no journey — ask the feed to fix the name`;
}
