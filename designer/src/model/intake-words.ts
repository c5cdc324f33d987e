import type { Lang } from './i18n.js';
import { formatClock } from './format.js';
import { eventLabel, type DeclaredEvents, NO_DECLARED_EVENTS } from './summary.js';

/** One flow's line of `GET /api/events/intake` (server/src/api/journeys/intake-status.controller.ts). */
export interface FlowIntake {
  flowId: string;
  /** The trigger's event; null for a flow started otherwise, listed for its exit or awaited events. */
  event: string | null;
  exitEvents?: string[];
  awaitedEvents?: string[];
  /** Events still in the inbox of any type this flow acts on (trigger, exit, awaited). */
  pending: number;
  pendingByType?: Record<string, number>;
  oldestPendingAgeMs: number | null;
  /** Its journeys due and not yet stepped (woken by an exit or answer consumed, or due by their timer). */
  dueJourneys?: number;
  /** The answer's `dueCapped`: more were due than counted, `dueJourneys` is "at least". */
  dueCapped?: boolean;
  matched: number;
  enrolled: number;
  lastLagMs: number | null;
  /** Longest lag within the answer's window (the last N minutes), null when nothing was acted on in it. */
  recentMaxLagMs?: number | null;
  maxLagMs: number | null;
  /** The flow's status (active, paused, stopped). */
  status?: string;
  /** Its trigger's events that arrived while it was paused: they started no journey, and none is caught up on resume. */
  skippedWhilePaused?: number;
  /** ISO time the newest of them was stored. */
  lastSkippedAt?: string | null;
}

/** The answer of `GET /api/events/intake`. */
export interface IntakeReply {
  flows: FlowIntake[];
  undeclaredTypes?: UndeclaredType[];
  window?: LagWindow;
  dueCapped?: boolean;
}

/** The answer's window for `recentMaxLagMs`. */
export interface LagWindow {
  minutes: number;
  /** ISO time of the window's first minute. */
  since: string;
}

export function formatLag(lang: Lang, ms: number | null): string {
  if (ms === null) return '–';
  const zh = lang === 'zh';
  if (ms < 1000) return zh ? `${Math.round(ms)} 毫秒` : `${Math.round(ms)} ms`;
  if (ms < 120_000) return zh ? `${(ms / 1000).toFixed(1)} 秒` : `${(ms / 1000).toFixed(1)} s`;
  return zh ? `${Math.round(ms / 60_000)} 分钟` : `${Math.round(ms / 60_000)} min`;
}

/** Hours and minutes in the shop's time zone (the window's start), as the rest of the editor says times. */
function hhmm(iso: string, timeZone?: string): string {
  return formatClock(Date.parse(iso), timeZone);
}

function quoted(lang: Lang, type: string, declared: DeclaredEvents): string {
  // A declared event comes back quoted already (「…」): quote the system's words the same way.
  const said = eventLabel(lang, type, declared);
  return /^[「"]/.test(said) ? said : lang === 'zh' ? `「${said}」` : `"${said}"`;
}

/**
 * The live view's event-intake line in sentences. It read "事件接入 · 延迟 – · 最长 –" before any
 * event came, which told a marketer nothing: now it says which event the journey waits for, how
 * many came and entered, and how long from an event being stored to the engine acting on it.
 * The longest lag is the longest within the last minutes (`window`), with the time it counts from:
 * the all-time worst never fell back, so nobody could see that a backlog had recovered.
 * What is pending is every event this flow still has to act on, by type: new orders to start
 * reminders, but also payments that end them (`intakeTitle` says so on hover).
 */
export function intakeWords(lang: Lang, row: FlowIntake, declared: DeclaredEvents = NO_DECLARED_EVENTS, window?: LagWindow, timeZone?: string): string {
  return intakePrefix(lang) + intakeParts(lang, row, declared, window, timeZone).join(INTAKE_SEPARATOR);
}

export const INTAKE_SEPARATOR = ' · ';

export function intakePrefix(lang: Lang): string {
  return lang === 'zh' ? '事件接入：' : 'Event intake: ';
}

/**
 * The intake line's parts (what `intakeWords` joins with " · "): the live view shows each part
 * whole where it can, so the line wraps between parts rather than in the middle of a figure.
 */
export function intakeParts(lang: Lang, row: FlowIntake, declared: DeclaredEvents = NO_DECLARED_EVENTS, window?: LagWindow, timeZone?: string): string[] {
  const zh = lang === 'zh';
  // The backlog first when there is one: during a burst what waits is what an operator looks for
  // (when the line was one line cut at its end, it was cut off after the lags).
  const backlog: string[] = [];
  if (row.pending > 0) {
    const byType = Object.entries(row.pendingByType ?? {}).filter(([, n]) => n > 0);
    const list = byType.length > 0 ? (zh ? `：${byType.map(([t, n]) => `${quoted(lang, t, declared)}${n} 个`).join('、')}` : `: ${byType.map(([t, n]) => `${n} ${quoted(lang, t, declared)}`).join(', ')}`) : '';
    backlog.push(zh ? `待处理事件 ${row.pending} 个${list}（最早的已等 ${formatLag(lang, row.oldestPendingAgeMs)}）` : `${row.pending} events waiting${list} (oldest ${formatLag(lang, row.oldestPendingAgeMs)})`);
  }
  if ((row.dueJourneys ?? 0) > 0) {
    const n = `${row.dueCapped ? (zh ? '至少 ' : 'at least ') : ''}${row.dueJourneys}`;
    backlog.push(zh ? `待推进的旅程 ${n} 段（已到时间或被事件唤醒，下一轮处理）` : `${n} journeys due (their time has come or an event woke them; stepped at the next round)`);
  }
  // The lag right after what is pending, before the due journeys and the running totals: what this
  // line is for comes first (the banner wraps now; when it was one line cut at its end, the lag was
  // never in view at 1400 px during a burst).
  const parts: string[] = [];
  if (row.pending > 0) parts.push(backlog.shift()!);
  if (row.lastLagMs !== null) {
    if (!window) parts.push(zh ? `处理延迟：最近一批 ${formatLag(lang, row.lastLagMs)}，最长 ${formatLag(lang, row.maxLagMs)}` : `lag from stored to acted on: last batch ${formatLag(lang, row.lastLagMs)}, worst ${formatLag(lang, row.maxLagMs)}`);
    else if (row.recentMaxLagMs === null || row.recentMaxLagMs === undefined)
      parts.push(zh ? `近 ${window.minutes} 分钟（${hhmm(window.since, timeZone)} 起）没有要处理的新事件（最近一批处理延迟 ${formatLag(lang, row.lastLagMs)}）` : `nothing to act on in the last ${window.minutes} min (since ${hhmm(window.since, timeZone)}; last batch's lag ${formatLag(lang, row.lastLagMs)})`);
    else parts.push(zh ? `处理延迟：近 ${window.minutes} 分钟（${hhmm(window.since, timeZone)} 起）最长 ${formatLag(lang, row.recentMaxLagMs)}，最近一批 ${formatLag(lang, row.lastLagMs)}` : `lag from stored to acted on: longest in the last ${window.minutes} min (since ${hhmm(window.since, timeZone)}) ${formatLag(lang, row.recentMaxLagMs)}, last batch ${formatLag(lang, row.lastLagMs)}`);
  }
  parts.push(...backlog);
  if (row.event === null) {
    const types = [...(row.exitEvents ?? []), ...(row.awaitedEvents ?? [])].map((t) => quoted(lang, t, declared)).join(zh ? '、' : ', ');
    parts.push(zh ? `本旅程要处理${types}事件` : `this journey acts on ${types} events`);
  } else {
    const event = quoted(lang, row.event, declared);
    if (row.matched === 0 && row.pending === 0) {
      parts.push(zh ? `还没有收到${event}事件` : `no ${event} event received yet`);
    } else {
      // Journeys, not customers: a journey keyed by order (payment-reminder) starts once per order, so
      // "N 位顾客" counted 174,795 customers in a shop of 20,000 during an order burst.
      parts.push(zh ? `收到${event}事件 ${row.matched} 个，开始了 ${row.enrolled} 段旅程` : `${row.matched} ${event} events received, ${row.enrolled} journeys started`);
    }
    // Events of a pause were consumed without a journey and are not caught up on resume: said, with
    // how many (the line said 收到「下单」事件 5 个 after a sixth came during the pause, and no more).
    const skipped = row.skippedWhilePaused ?? 0;
    if (skipped > 0) {
      const last = row.lastSkippedAt ? (zh ? `，最近一个 ${hhmm(row.lastSkippedAt, timeZone)}` : `, the last at ${hhmm(row.lastSkippedAt, timeZone)}`) : '';
      parts.push(zh ? `暂停期间收到${event}事件 ${skipped} 个，没有开始旅程（继续运行后也不补${last}）` : `${skipped} ${event} events arrived while paused and started no journey (not caught up on resume${last})`);
    }
    // A paused flow first: what the operator has to know before any figure.
    if (row.status === 'paused') parts.unshift(zh ? `已暂停：新收到的${event}事件不会开始旅程，继续运行后也不补` : `paused: new ${event} events start no journey, not even after resume`);
  }
  return parts;
}

/**
 * The intake line's tooltip: what "待处理" counts and what "处理延迟" measures, so a number that
 * includes payments is not taken for new orders — each said only when the line shows that figure
 * (the line of a scheduled journey with nothing waiting read 本旅程要处理「付款」事件 while its
 * tooltip explained 待处理, 待推进 and 处理延迟, none of them on it; walk: 52-intake). With no figure
 * shown, it says which events it counts and that figures come once there are some.
 */
export function intakeTitle(lang: Lang, row: FlowIntake, declared: DeclaredEvents = NO_DECLARED_EVENTS, window?: LagWindow): string {
  const zh = lang === 'zh';
  const list = (types: string[] | undefined) => (types ?? []).map((t) => quoted(lang, t, declared)).join(zh ? '、' : ', ');
  const kinds: string[] = [];
  if (row.event !== null) kinds.push(zh ? `开始旅程的${list([row.event])}` : `${list([row.event])} that starts it`);
  if (row.exitEvents?.length) kinds.push(zh ? `结束旅程的${list(row.exitEvents)}` : `${list(row.exitEvents)} that ends it`);
  if (row.awaitedEvents?.length) kinds.push(zh ? `等待节点在等的${list(row.awaitedEvents)}` : `${list(row.awaitedEvents)} its waits wait for`);
  const minutes = window?.minutes ?? 15;
  // Said where it matters: a paused journey, or one whose pause skipped events.
  const paused =
    row.event === null || (row.status !== 'paused' && (row.skippedWhilePaused ?? 0) === 0)
      ? ''
      : zh
        ? ` 暂停期间：旅程暂停时收到的${list([row.event])}事件不开始旅程，继续运行后也不补（迟到的提醒不如不发），按旅程累计计数；结束、继续旅程的事件不会丢，继续运行后照常处理。`
        : ` While paused: ${list([row.event])} events that arrive while the journey is paused start no journey and are not caught up on resume (a late reminder is worse than none); they are counted per journey. Events that end or move on its journeys are not lost: they are acted on at resume.`;
  const said: string[] = [];
  if (row.pending > 0) said.push(zh ? `待处理：已收到、引擎还没处理的事件里，本旅程要处理的类型——${kinds.join('、')}。` : `Waiting: stored events the engine has not acted on yet, of the types this journey acts on — ${kinds.join(', ')}.`);
  if ((row.dueJourneys ?? 0) > 0) said.push(zh ? '待推进的旅程：本旅程里已到时间、或被这些事件唤醒（如已付款要结束的催付），还没走下一步的旅程。' : " Journeys due: its journeys whose time has come or that these events woke (a paid order's reminder to end), not yet stepped.");
  if (row.lastLagMs !== null)
    said.push(
      zh
        ? `处理延迟：从事件收到到引擎处理（开始旅程或唤醒要结束、要继续的旅程）的时间；最长是近 ${minutes} 分钟内的最长值，积压消除后会回落。`
        : ` Lag: the time from an event being stored to the engine acting on it (starting a journey, or waking the journeys it ends or moves on); the longest is within the last ${minutes} minutes and falls back once a backlog has recovered.`,
    );
  if (said.length === 0)
    said.push(zh ? `本旅程要处理的事件：${kinds.join('、')}。还没有要处理的，收到后这里会显示待处理的个数和处理延迟。` : `The events this journey acts on: ${kinds.join(', ')}. None to act on yet; once some arrive, this line shows how many wait and the lag.`);
  return (zh ? said.join('') : said.join('').trim()) + paused;
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
