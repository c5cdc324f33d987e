import { NO_CAP_NAMES, type CapNames } from './cap-words.js';
import type { FunnelNode, NodeCounts } from './counts.js';
import { formatAmount, formatCount, formatDateTime } from './format.js';
import type { Lang } from './i18n.js';
import { armConsentLossLines } from './arm-consent-loss.js';
import { consentLossHints } from './consent-hint.js';
import { broughtForwardWords, type BroughtForward } from './brought-forward-words.js';
import { reasonWords } from './reason-words.js';
import { eventLabel } from './summary.js';
import { audienceStart, ENTRY_DAYS, windowWords } from './sim-window.js';
import type { DraftFlow, NodeReport } from './types.js';
import type { JourneyIncrementalEffect } from '../../../server/src/core/experiment/incremental-effect-figures.js';
import { incrementalEffectWords } from './incremental-effect-words.js';

/** What POST /api/flows/:id/simulate answers (the parts the summary reads). */
export interface SimulationResult {
  days: number;
  /** The virtual start (ISO), as the server answers it. */
  from?: string;
  summary: Record<string, unknown> & { enrolled?: number; refused?: Record<string, number> };
  report: { enrollments: { active: number; completed: number; exited: number }; nodes: NodeReport[]; sends: { channel: string; status: string; reason: string | null; count: number }[] };
  funnel: FunnelNode[] | null;
  whyNobody?: Record<string, unknown>[];
  /** What the simulated channel did (null: messages left queued). */
  delivery?: { delivered: number; deliveredWithoutLink?: number; undelivered: number; responses: number; redeemed: number; orders?: number; revenue?: number; organicOrders?: number; organicRevenue?: number } | null;
  /** Split node id → its experiment report at the end of the simulation. */
  experiments?: Record<string, unknown>;
  /** The start is after the shop's last order: what the copy of the shop did until then (null: nothing). */
  broughtForward?: BroughtForward | null;
  /** What the journey brought in beyond its holdout (absent from older servers). */
  incrementalEffect?: JourneyIncrementalEffect;
}

/**
 * A simulation as a marketer reads it: "245 customers entered; 62 messages would go out; 50 held
 * back: no email consent", and when nobody entered, why.
 */
export function simulationWords(lang: Lang, r: SimulationResult, flow?: DraftFlow, timeZone?: string, caps: CapNames = NO_CAP_NAMES): string[] {
  const zh = lang === 'zh';
  // Counts as the rest of the designer writes them (4,936, as 现在约 4,901 位顾客 on the entry step):
  // 4936 here beside 4,901 there read as two kinds of number.
  const n = (x: number) => formatCount(lang, x);
  const lines: string[] = [];
  // This flow's journeys (the engine's summary counts every flow running in the copy of the shop).
  const entered = r.report.enrollments.active + r.report.enrollments.completed + r.report.enrollments.exited;
  // A one-off audience is simulated from its start (sim-window.ts), anything else over the last days.
  const start = audienceStart(flow);
  const from = r.from !== undefined && start !== null && Date.parse(r.from) === start ? start : null;
  // Anything else: the last ENTRY_DAYS days' entries, run on until they finish (sim-window.ts).
  const window = windowWords(lang, { from, days: r.days, entering: from === null && r.days > ENTRY_DAYS ? ENTRY_DAYS : undefined }, timeZone);
  lines.push(zh ? `模拟${window}：${n(entered)} 位顾客进入旅程` : `Simulated ${window}: ${n(entered)} customers entered`);
  // A start after the shop's data: the copy lived until then (brought-forward-words.ts), said once.
  const gap = broughtForwardWords(lang, r.broughtForward, timeZone);
  if (gap) lines.push(gap);
  let sent = 0;
  const held = new Map<string, number>();
  for (const s of r.report.sends) {
    // A message the simulated channel did not deliver went out all the same (said below).
    if (s.status === 'queued' || s.status === 'sending' || s.status === 'sent' || s.status === 'failed') sent += s.count;
    else held.set(s.reason ?? s.status, (held.get(s.reason ?? s.status) ?? 0) + s.count);
  }
  if (!r.report.sends.length && r.funnel) {
    for (const f of r.funnel) {
      sent += f.sent;
      for (const [k, lost] of Object.entries(f.blocked)) {
        const reason = k.includes(':') ? k.slice(k.indexOf(':') + 1) : k;
        held.set(reason, (held.get(reason) ?? 0) + lost);
      }
    }
  }
  const d = r.delivery;
  // The delivered and undelivered are parts of the messages that go out, said on that line: read on a
  // line of their own (3,953 go out … 3,796 delivered, 157 not) the two figures looked unreconciled.
  const channel = d && d.delivered + d.undelivered > 0 ? d : null;
  const parts = channel ? (zh ? `（模拟渠道送达 ${n(channel.delivered)} 条，未送达 ${n(channel.undelivered)} 条）` : ` (the simulated channel delivered ${n(channel.delivered)}, did not deliver ${n(channel.undelivered)})`) : '';
  lines.push(zh ? `${n(sent)} 条消息会发出${parts}` : `${n(sent)} messages would go out${parts}`);
  for (const [reason, count] of [...held.entries()].sort((a, b) => b[1] - a[1])) lines.push(zh ? `${n(count)} 条未发出：${reasonWords(lang, reason, caps)}` : `${n(count)} held back: ${reasonWords(lang, reason, caps)}`);
  // What to do about it: the steps that lost messages to missing consent and name no fallback channel.
  lines.push(...consentLossHints(lang, r.funnel, flow));
  lines.push(...armConsentLossLines(lang, r.funnel, flow));
  if (d && channel) {
    lines.push(zh ? `模拟顾客的反应：${n(d.responses)} 次点击，${n(d.redeemed)} 张券被使用` : `Simulated responses: ${n(d.responses)} clicks, ${n(d.redeemed)} coupons used`);
    // The simulated customers answer linked messages only (server simulated-delivery.ts): a coupon SMS
    // without a link read 0 clicks, 0 coupons, 0 orders, and the coupon looked worthless.
    if (d.deliveredWithoutLink)
      lines.push(
        zh
          ? `送达的 ${n(d.delivered)} 条消息中有 ${n(d.deliveredWithoutLink)} 条没有链接：模拟的顾客只会点击带链接的消息，这些消息在模拟中不会带来点击、用券或下单（真实顾客仍可能购买）；要估计效果，请给发送步骤填上「链接」`
          : `${n(d.deliveredWithoutLink)} of the ${n(d.delivered)} delivered messages have no link: the simulated customers answer linked messages only, so these bring no click, coupon use or order here (real customers may still buy); give the send step a link to estimate its effect`,
      );
    // Simulated purchases: paid orders (with the message's coupon or without) and what they are worth.
    if (d.orders !== undefined) lines.push(zh ? `模拟下单：${n(d.orders)} 笔付款订单，金额 ${formatAmount(lang, d.revenue ?? 0)}` : `Simulated purchases: ${n(d.orders)} paid orders worth ${formatAmount(lang, d.revenue ?? 0)}`);
  }
  // Orders the flow's customers placed on their own, messaged or not (the baseline a holdout is measured by).
  if (d?.organicOrders) lines.push(zh ? `自然下单（不论是否收到消息）：${n(d.organicOrders)} 笔付款订单，金额 ${formatAmount(lang, d.organicRevenue ?? 0)}` : `Organic purchases (messaged or not): ${n(d.organicOrders)} paid orders worth ${formatAmount(lang, d.organicRevenue ?? 0)}`);
  const converted = r.report.enrollments.completed;
  if (entered > 0) {
    const how = converted > 0 ? goalWays(lang, r.report.nodes, flow) : '';
    lines.push(zh ? `${n(converted)} 位达成目标${how ? `（${how}）` : ''}，${n(r.report.enrollments.active)} 位仍在旅程中` : `${n(converted)} reached the goal${how ? ` (${how})` : ''}, ${n(r.report.enrollments.active)} still in the journey`);
  }
  // The two figures count different things and often differ (450 paid in the journey, 1 simulated
  // order; or 27 simulated orders, 14 goals): say how, or the marketer trusts neither.
  if (entered > 0 && d?.orders !== undefined && d.orders !== converted && (converted > 0 || d.orders > 0)) {
    lines.push(
      zh
        ? `说明：达成目标只计顾客还在旅程中时达成的（付款也包括店铺原有订单${d.organicOrders ? '和自然下单' : ''}的付款）；模拟下单是消息带来的订单，顾客离开旅程后才付款的也算在内`
        : `Note: the goal counts customers who reached it while still in the journey (payments include the shop's own orders${d.organicOrders ? ' and organic purchases' : ''}); simulated purchases are the orders the messages brought, also those paid after the customer left the journey`,
    );
  }
  // Beyond the holdout: the treated against the customers sent nothing (incremental-effect-words.ts).
  if (entered > 0) lines.push(...incrementalEffectWords(lang, r.incrementalEffect, flow));
  if (entered === 0) {
    for (const w of r.whyNobody ?? []) {
      const line = whyWords(lang, w, timeZone);
      if (line) lines.push(line);
    }
    if (!r.whyNobody?.length && flow) lines.push(zh ? '没有顾客进入：请检查入口设置' : 'Nobody entered: check the entry settings');
  }
  return lines;
}

/**
 * How the journeys reached their goal, from the nodes' outcomes: `completed:<event>` (an 提前结束条件
 * that counts as a conversion, e.g. 付款) or `completed:goal:<exit node>` (a goal exit step).
 */
export function goalWays(lang: Lang, nodes: NodeReport[], flow?: DraftFlow): string {
  const zh = lang === 'zh';
  const ways = new Map<string, number>();
  for (const n of nodes) {
    for (const [outcome, count] of Object.entries(n.outcomes)) {
      if (!outcome.startsWith('completed:') || count <= 0) continue;
      const tail = outcome.slice('completed:'.length);
      let what: string;
      if (tail.startsWith('goal:')) {
        const node = flow?.nodes.find((x) => x.id === tail.slice('goal:'.length));
        const label = typeof node?.label === 'string' && node.label ? node.label : tail.slice('goal:'.length);
        what = zh ? `到达「${label}」` : `reached "${label}"`;
      } else {
        what = zh ? `在旅程中${eventLabel(lang, tail)}` : `${eventLabel(lang, tail)} during the journey`;
      }
      ways.set(what, (ways.get(what) ?? 0) + count);
    }
  }
  return [...ways.entries()].sort((a, b) => b[1] - a[1]).map(([what, n]) => `${what} ${formatCount(lang, n)}`).join(zh ? '、' : ', ');
}

/** A segment by its title (segment files' `title:`, sent as segmentTitle), its id when it has none. */
function segmentName(w: Record<string, unknown>): string {
  return typeof w.segmentTitle === 'string' && w.segmentTitle ? w.segmentTitle : String(w.segment);
}

/** A count the server sent, written as the summary's other counts (anything else as it came). */
const count = (lang: Lang, v: unknown) => (typeof v === 'number' ? formatCount(lang, v) : String(v));

function whyWords(lang: Lang, w: Record<string, unknown>, timeZone?: string): string | null {
  const zh = lang === 'zh';
  switch (w.code) {
    case 'no-events':
      return zh ? `没有顾客进入：模拟期间没有「${eventLabel(lang, w.event)}」事件` : `Nobody entered: no "${eventLabel(lang, w.event)}" events in the simulated days`;
    case 'events-filtered':
      return zh ? `有 ${count(lang, w.count)} 个「${eventLabel(lang, w.event)}」事件，但没有顾客符合入口条件` : `${count(lang, w.count)} "${eventLabel(lang, w.event)}" events, but no customer met the entry conditions`;
    case 'audience-outside':
      return zh ? `没有顾客进入：一次性人群的开始时间 ${formatDateTime(lang, Number(w.startAt), timeZone)} 不在模拟的时间内` : `Nobody entered: the one-off audience starts ${formatDateTime(lang, Number(w.startAt), timeZone)}, outside the simulated days`;
    case 'segment-empty':
      return zh ? `没有顾客进入：人群「${segmentName(w)}」没有匹配的顾客` : `Nobody entered: segment "${segmentName(w)}" matched no customers`;
    case 'refused':
      return null; // said above with the kept-out counts
    default:
      return null;
  }
}

export type { NodeCounts };
