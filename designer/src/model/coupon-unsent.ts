import { unsentCoupons } from '../../../server/src/core/coupons/unsent-coupons.js';
import type { DraftFlow, Problem } from './types.js';

/**
 * A send step that prints the coupon an earlier send issued, on a channel that earlier send does
 * not go out on: customers the earlier send cannot reach arrive without a coupon and this message
 * is held back (`no-coupon`). The rule is the engine's (server/src/core/coupons/unsent-coupons.ts,
 * the same one `rekindle validate` and publishing warn with), imported, so there is one rule; here
 * it is said at once, before the server's answer, with the words and one-click fix of the
 * designer. allProblems (local-problems.ts) keeps this one and drops the server's copy.
 *
 * A warning on the step (`path` "coupon:<issuing step id>"): publishing is not refused, since
 * customers who got the earlier message still get this one as drawn.
 */
export function unsentCouponProblems(flow: DraftFlow): Problem[] {
  return unsentCoupons(flow.nodes).map((u) => ({ line: 0, nodeId: u.nodeId, path: `coupon:${u.from}`, message: 'local.couponNotSent', severity: 'warning' as const }));
}

/** The flow with the warned step issuing the earlier step's coupon itself (the Problems panel's one-click fix), or null. */
export function unsentCouponFix(flow: DraftFlow, p: Pick<Problem, 'nodeId' | 'message'>): DraftFlow | null {
  if (p.message !== 'local.couponNotSent' || !p.nodeId) return null;
  const unsent = unsentCoupons(flow.nodes).find((u) => u.nodeId === p.nodeId);
  if (!unsent) return null;
  return { ...flow, nodes: flow.nodes.map((x) => (x.id === p.nodeId ? { ...x, coupon: unsent.coupon } : x)) };
}
