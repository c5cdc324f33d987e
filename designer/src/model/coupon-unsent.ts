import { couponSource } from './coupon-source.js';
import type { DraftFlow, DraftNode, Problem } from './types.js';

/** A message that prints a coupon field ({{coupon.code}}, {{ coupon.amount }}…). */
const NAMES_COUPON = /\{\{\s*coupon(?:\.[^}\s]*)?\s*\}\}/;

const namesCoupon = (n: DraftNode) => [n.template, n.subject].some((t) => typeof t === 'string' && NAMES_COUPON.test(t));
const issuesOwn = (n: DraftNode) => n.coupon !== undefined && n.coupon !== null && n.coupon !== '';
/** The channels a send may go out on: its own, then its fallback (备用渠道). */
const channelsOf = (n: DraftNode) => [n.channel, n.fallback].filter((c): c is string => typeof c === 'string' && c !== '');

/**
 * A send step that prints the coupon an earlier send issued, on a channel that earlier send does
 * not go out on. The coupon is issued only when its message goes out (engine/executors/
 * send.executor.ts): a customer the earlier send cannot reach on its channel (no email consent, no
 * address) reaches this step without a coupon, and this message is held back (`no-coupon`) even
 * though they could get it on this channel. The simulation showed "文案提到优惠券，但客户在此旅程中
 * 没有领到券" for the win-back SMS after an email most customers have no consent for, and nothing in
 * the designer had said so. The fix the engine already offers: this step issues the same template
 * too — a customer who got the earlier message keeps that code (named again, no second coupon),
 * one who did not gets it here.
 *
 * A warning on the step (`path` "coupon:<issuing step id>"): publishing is not refused, since
 * customers who got the earlier message still get this one as drawn.
 */
export function unsentCouponProblems(flow: DraftFlow): Problem[] {
  const out: Problem[] = [];
  for (const n of flow.nodes) {
    if (n.type !== 'send' || issuesOwn(n) || !namesCoupon(n)) continue;
    const source = couponSource(flow, n.id);
    const from = source?.from ? flow.nodes.find((x) => x.id === source.from) : undefined;
    if (!from) continue;
    const reached = new Set(channelsOf(from));
    if (channelsOf(n).every((c) => reached.has(c))) continue;
    out.push({ line: 0, nodeId: n.id, path: `coupon:${from.id}`, message: 'local.couponNotSent', severity: 'warning' });
  }
  return out;
}

/** The flow with the warned step issuing the earlier step's coupon itself (the Problems panel's one-click fix), or null. */
export function unsentCouponFix(flow: DraftFlow, p: Pick<Problem, 'nodeId' | 'message'>): DraftFlow | null {
  if (p.message !== 'local.couponNotSent' || !p.nodeId) return null;
  const source = couponSource(flow, p.nodeId);
  if (!source?.from) return null;
  return { ...flow, nodes: flow.nodes.map((x) => (x.id === p.nodeId ? { ...x, coupon: source.spec } : x)) };
}
