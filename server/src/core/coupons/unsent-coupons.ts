import { graphOf } from '../flow/graph-of.js';
import type { PathProblem } from '../flow/problems.js';
import { templatePaths } from '../engine/template.js';

/**
 * A coupon that never reaches the customer it is printed for: a send step prints `{{coupon.…}}`
 * without issuing a coupon itself, so it names the coupon an earlier send of the journey issued —
 * but that earlier send goes out on channels this step does not. A coupon is issued only when its
 * message goes out (engine/executors/send.executor.ts): a customer the earlier send cannot reach
 * (no email consent, no address) arrives here without one, and this message is held back
 * (`no-coupon`) although its own channel could reach them. The fix the engine offers: this step
 * issues the same coupon too — who got the earlier message keeps that code (named again, no second
 * coupon), the others get it here.
 *
 * One rule for `rekindle validate`, publishing (API and CLI: a warning they pass on) and the
 * designer (designer/src/model/coupon-unsent.ts imports `unsentCoupons` and says it in Chinese).
 * Pure, on raw nodes (a half-drawn flow too). The earlier send is the nearest one before the step
 * (walking the edges back) that issues a coupon, as the designer's 优惠券 field shows it.
 */
export interface UnsentCoupon {
  /** Index of the send step in `nodes` that prints the coupon. */
  index: number;
  nodeId: string;
  /** The earlier send that issues the coupon. */
  from: string;
  /** Its `coupon` (template id or one-off coupon), what this step would issue to put it right. */
  coupon: unknown;
  /** The channels the earlier send goes out on (its channel, then its fallback). */
  fromChannels: string[];
  /** This step's channels that the earlier send does not go out on. */
  missing: string[];
}

type Raw = Record<string, unknown>;
const asObject = (v: unknown): Raw => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Raw) : {});
const issues = (n: Raw) => n.type === 'send' && n.coupon !== undefined && n.coupon !== null && n.coupon !== '';
const namesCoupon = (n: Raw) => [n.template, n.subject].some((t) => typeof t === 'string' && templatePaths(t).some((p) => p === 'coupon' || p.startsWith('coupon.')));
/** The channels a send may go out on: its own, then its fallback. */
const channelsOf = (n: Raw) => [n.channel, n.fallback].filter((c): c is string => typeof c === 'string' && c !== '');

export function unsentCoupons(nodes: readonly unknown[]): UnsentCoupon[] {
  const raw = nodes.map(asObject);
  const graph = graphOf(nodes);
  const indexOf = new Map(graph.filter((g) => g.id !== null).map((g) => [g.id!, g.index]));
  const before = new Map<string, number[]>();
  for (const g of graph) for (const e of g.edges) if (e.target) before.set(e.target, [...(before.get(e.target) ?? []), g.index]);
  /** The nearest send before `start` (breadth first, walking edges back) that issues a coupon. */
  const issuerBefore = (start: number): number | null => {
    const seen = new Set([start]);
    let layer = [start];
    while (layer.length) {
      const next: number[] = [];
      for (const i of layer) {
        const id = graph[i].id;
        for (const p of (id !== null ? before.get(id) : undefined) ?? []) {
          if (seen.has(p)) continue;
          seen.add(p);
          if (issues(raw[p])) return p;
          next.push(p);
        }
      }
      layer = next;
    }
    return null;
  };
  const out: UnsentCoupon[] = [];
  raw.forEach((n, index) => {
    const nodeId = graph[index].id;
    if (n.type !== 'send' || nodeId === null || issues(n) || !namesCoupon(n) || !indexOf.has(nodeId)) return;
    const at = issuerBefore(index);
    if (at === null) return;
    const from = raw[at];
    const fromChannels = channelsOf(from);
    const missing = channelsOf(n).filter((c) => !fromChannels.includes(c));
    if (missing.length) out.push({ index, nodeId, from: graph[at].id!, coupon: from.coupon, fromChannels, missing });
  });
  return out;
}

/** unsentCoupons as warnings on each step's `coupon` field: publishing is not refused (who got the earlier message gets this one as drawn). */
export function checkUnsentCoupons(nodes: readonly unknown[]): PathProblem[] {
  return unsentCoupons(nodes).map((u) => ({
    path: ['nodes', u.index, 'coupon'],
    nodeId: u.nodeId,
    severity: 'warning',
    message: `prints the coupon that "${u.from}" issues, which goes out only with that ${u.fromChannels.join('/')} message: a customer it does not reach (no ${u.fromChannels.join('/')} consent or address) arrives here without a coupon and this ${u.missing.join('/')} message is held back (no-coupon); issue the same coupon here too (coupon: ${typeof u.coupon === 'string' ? u.coupon : 'the same one'}) — a customer who got it keeps their code`,
  }));
}
