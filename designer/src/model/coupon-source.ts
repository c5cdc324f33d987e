import { edgesFrom } from './handles.js';
import type { DraftFlow } from './types.js';

/** Where a send step's `{{coupon.…}}` comes from: its own coupon, or the one an earlier send issued. */
export interface CouponSource {
  /** The coupon template id (or one-off coupon) as the send node holds it. */
  spec: unknown;
  /** The earlier send that issues it; null: the step issues it itself. */
  from: string | null;
}

const issues = (n: DraftFlow['nodes'][number] | undefined) => n?.type === 'send' && n.coupon !== undefined && n.coupon !== null && n.coupon !== '';

/**
 * The coupon a step's message names, as the send step finds it at run time: the step's own, else
 * the coupon the journey issued earlier — here the nearest send before it (walking the edges
 * back) that issues one. Null: no coupon, so customers would be held back (`no-coupon`).
 */
export function couponSource(flow: DraftFlow, nodeId: string): CouponSource | null {
  const byId = new Map(flow.nodes.map((n) => [n.id, n]));
  const self = byId.get(nodeId);
  if (issues(self)) return { spec: self!.coupon, from: null };
  const before = new Map<string, string[]>();
  for (const n of flow.nodes) for (const [, target] of edgesFrom(n)) before.set(target, [...(before.get(target) ?? []), n.id]);
  const seen = new Set([nodeId]);
  let layer = [nodeId];
  while (layer.length) {
    const next: string[] = [];
    for (const id of layer) {
      for (const p of before.get(id) ?? []) {
        if (seen.has(p)) continue;
        seen.add(p);
        if (issues(byId.get(p))) return { spec: byId.get(p)!.coupon, from: p };
        next.push(p);
      }
    }
    layer = next;
  }
  return null;
}
