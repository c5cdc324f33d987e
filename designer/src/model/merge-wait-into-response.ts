import { outputsOf, targetOf, withTarget } from './handles.js';
import { canonicalDuration, parseTypedDuration } from './duration.js';
import type { DraftFlow } from './types.js';

/**
 * The first of the two right drawings the missed-response warning offers, done for the marketer:
 * 入口 → 等待 2 小时 → 等待付款 22 小时 becomes 入口 → 等待付款 1 天. The wait is removed, whatever led
 * to it leads to the 等待响应, whose 等待多久 takes the wait's time too, so a payment in the first
 * two hours is seen. Only for a plain wait with a duration that is the step's one way in and is
 * itself reached only from the entry (the case server/src/core/flow/missed-response-checks.ts
 * offers the sum for); null otherwise (a send between: the marketer redraws).
 */
export function mergeWaitIntoResponse(flow: DraftFlow, responseId: string): DraftFlow | null {
  const response = flow.nodes.find((n) => n.id === responseId);
  if (!response || response.type !== 'waitForEvent') return null;
  const into = (id: string) => flow.nodes.filter((n) => outputsOf(n).some((h) => targetOf(n, h.id) === id));
  const before = into(responseId);
  const wait = before.length === 1 ? before[0] : null;
  if (!wait || wait.type !== 'wait' || typeof wait.duration !== 'string') return null;
  if (!into(wait.id).every((n) => n.type === 'entry')) return null;
  const a = parseTypedDuration(wait.duration);
  const b = parseTypedDuration(String(response.within ?? ''));
  if (a === null || b === null) return null;
  const nodes = flow.nodes
    .filter((n) => n.id !== wait.id)
    .map((n) => (n.id === responseId ? { ...n, within: canonicalDuration(a + b) } : outputsOf(n).reduce((m, h) => (targetOf(m, h.id) === wait.id ? withTarget(m, h.id, responseId) : m), n)));
  return { ...flow, nodes };
}

/** The merged flow for a missed-response warning the Problems panel shows, or null (another problem, or one to redraw by hand). */
export function missedResponseFix(flow: DraftFlow, p: { nodeId?: string | null; message: string }): DraftFlow | null {
  return p.nodeId && /^waitForEvent "[^"]*" counts only events after it starts/.test(p.message) ? mergeWaitIntoResponse(flow, p.nodeId) : null;
}
