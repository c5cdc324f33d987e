import { defaultSendKind, type SendKind } from './send-kind.js';
import type { DraftFlow, Problem } from './types.js';

/**
 * A send step's kind follows the journey's trigger when the marketer changes the trigger later.
 * The kind is derived from where a step is added (send-kind.ts: 下单 → 交易通知, after a purchase →
 * 关怀), and it stayed: a 下单 journey turned into a segment one kept 交易通知 on its messages, which
 * then skipped the marketing caps and reached customers who unsubscribed. A kind the trigger
 * chose (it is the old trigger's default) takes the new trigger's default; a kind the marketer
 * chose by hand (it differs from the old default) is theirs and stays, and kindTriggerProblems
 * warns when it no longer fits.
 */
const kindOf = (category: unknown): SendKind => (category === 'care' || category === 'transactional' ? category : 'marketing');

export function kindsFollowingTrigger(before: DraftFlow, after: DraftFlow): DraftFlow {
  const entry = (f: DraftFlow) => JSON.stringify(f.nodes.find((n) => n.type === 'entry')?.trigger ?? null);
  if (entry(before) === entry(after)) return after;
  let changed = false;
  const nodes = after.nodes.map((n) => {
    if (n.type !== 'send' || !before.nodes.some((b) => b.id === n.id)) return n;
    const was = defaultSendKind(before, n.id).kind;
    const now = defaultSendKind(after, n.id).kind;
    if (kindOf(n.category) !== was || was === now) return n;
    changed = true;
    return { ...n, category: now };
  });
  return changed ? { ...after, nodes } : after;
}

/**
 * A message marked 交易通知 in a journey that no order starts (a schedule, a one-off audience, an
 * event other than an order's) and not after a wait for this order's payment: no order for it
 * to be about. A warning (the designer's own): 关怀 fits greetings anywhere, 交易通知 after 发货 is
 * a shipping notice, and those are not said.
 */
export function kindTriggerProblems(flow: DraftFlow): Problem[] {
  const trigger = (flow.nodes.find((n) => n.type === 'entry')?.trigger ?? {}) as Record<string, unknown>;
  if (trigger.type === 'event' && /^order_/.test(String(trigger.event ?? ''))) return [];
  return flow.nodes
    .filter((n) => n.type === 'send' && n.category === 'transactional' && defaultSendKind(flow, n.id).kind !== 'transactional')
    .map((n) => ({ line: 0, nodeId: n.id, path: 'category', message: 'local.kindNoOrder', severity: 'warning' as const }));
}
