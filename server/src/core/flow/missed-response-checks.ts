import { LINK_CLICK } from '../data/system-events.js';
import { DURATION_PATTERN, formatDuration, parseDuration } from './duration.js';
import { graphOf, type GraphNode } from './graph-checks.js';
import type { PathProblem } from './problems.js';

type Raw = Record<string, unknown>;
const asObject = (v: unknown): Raw | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Raw) : undefined);

/** A match that ties the awaited event to the journey's own key (`orderId: $key`): the order's own payment. */
const keyed = (node: Raw) => Object.values(asObject(node.match) ?? {}).some((v) => v === '$key');

/**
 * A `waitForEvent` counts only the events that happen after it starts (engine/executors/
 * wait-for-event.executor.ts: occurredAt >= the time the journey reached it). A journey that spends
 * time in a plain wait on its way there lets the awaited event happen unseen: a payment reminder
 * drawn as 下单 → 等待 2 小时 → (催付 →) 等待付款 22 小时 reminded every customer who paid in the
 * first two hours, and counted them as not converted, with no warning (designer walkthrough, 2 Dec).
 *
 * Which waits count, walking back from the step:
 * - a match on the journey's key (`orderId: $key`) asks about the journey's own order: a payment
 *   before a message between is as missed as one right before, so the walk goes through sends;
 * - without one, a send between makes the step "did they answer this message" (an order before the
 *   coupon went is no answer to it), so the walk stops at sends;
 * - it stops at an earlier waitForEvent (it watched its own time) and at the entry.
 * An event the flow ends its journeys on (exitOn, applied at every step) is not missed. Clicks are
 * left out: a message's link cannot be clicked before the message goes (click-wait-checks.ts).
 */
export function checkMissedResponses(flow: unknown): PathProblem[] {
  const raw = asObject(flow);
  const nodes = raw && Array.isArray(raw.nodes) ? raw.nodes : [];
  if (!nodes.length) return [];
  const exitEvents = new Set((Array.isArray(raw!.exitOn) ? raw!.exitOn : []).map((x) => asObject(x)?.event).filter((e): e is string => typeof e === 'string'));
  const graph = graphOf(nodes);
  const byId = new Map(graph.filter((g) => g.id !== null).map((g) => [g.id!, g]));
  const before = new Map<string, GraphNode[]>();
  for (const g of graph) for (const e of g.edges) if (g.id && e.target) before.set(e.target, [...(before.get(e.target) ?? []), g]);
  const out: PathProblem[] = [];
  for (const g of graph) {
    const node = asObject(nodes[g.index]);
    if (g.type !== 'waitForEvent' || !g.id || !node || !Array.isArray(node.events)) continue;
    const unseen = node.events.filter((e): e is string => typeof e === 'string' && e !== LINK_CLICK && !exitEvents.has(e));
    if (!unseen.length) continue;
    const throughSends = keyed(node);
    const waits: GraphNode[] = [];
    const seen = new Set<string>([g.id]);
    const queue = [...(before.get(g.id) ?? [])];
    /** The sends the walk stopped at (no key match), nearest first: what the earlier waits lead into. */
    const sendsBetween: GraphNode[] = [];
    while (queue.length) {
      const prior = queue.pop()!;
      if (!prior.id || seen.has(prior.id)) continue;
      seen.add(prior.id);
      if (prior.type === 'send' && !throughSends) sendsBetween.push(prior);
      if (prior.type === 'entry' || prior.type === 'waitForEvent' || (prior.type === 'send' && !throughSends)) continue;
      if (prior.type === 'wait') waits.push(prior);
      queue.push(...(before.get(prior.id) ?? []));
    }
    const said = (ws: GraphNode[]) =>
      ws.map((w) => {
        const d = asObject(nodes[w.index])?.duration;
        return typeof d === 'string' && DURATION_PATTERN.test(d) ? `${w.id}, ${d}` : w.id!;
      });
    if (!waits.length) {
      const answered = answeredBeforeTheMessage(sendsBetween, before);
      if (answered) {
        // Whether the step asks "did they answer this message" or not, a customer who already did
        // the awaited thing (bought) during a wait before the message still gets it, and then takes
        // the step's timeout: a customer won back by the first email got the SMS and was tagged
        // given-up (designer walkthrough, 4 Dec). Only exitOn ends the journey at any step.
        out.push({
          path: ['nodes', g.index, 'events'],
          nodeId: g.id,
          severity: 'warning',
          message: `send "${answered.send.id}" still goes to customers who did ${unseen.map((e) => `"${e}"`).join(', ')} during the wait before it (${said(answered.waits).join('; ')}), and waitForEvent "${g.id}" after it sees only what happens once it has started: they get the message and then take "timedOut" as if they had not responded; end the journey on it at any step with exitOn (event: ${unseen[0]}, goal: true)`,
        });
      }
      continue;
    }
    waits.sort((a, b) => a.index - b.index);
    // Drawn as entry → wait → this step, the wait's time goes into the step's own limit.
    const wait = asObject(nodes[waits[0].index]);
    const direct = waits.length === 1 && (before.get(g.id) ?? []).length === 1 && before.get(g.id)![0] === waits[0] && (before.get(waits[0].id!) ?? []).every((p) => p.type === 'entry');
    const sum =
      direct && typeof wait?.duration === 'string' && DURATION_PATTERN.test(wait.duration) && typeof node.within === 'string' && DURATION_PATTERN.test(node.within)
        ? formatDuration(parseDuration(wait.duration) + parseDuration(node.within))
        : null;
    // Otherwise each wait becomes a wait for the event itself, as long, its "responded" to an exit.
    const limit = sum ? `drop the wait ${waits[0].id} and wait here from the entry with within: ${sum}` : `make the wait ${waits.map((w) => w.id).join(', ')} a waitForEvent for it (within: the wait's time, responded: an exit)`;
    const match = keyed(node) ? `, match: ${JSON.stringify(node.match).replace(/"/g, '')}` : '';
    out.push({
      path: ['nodes', g.index, 'events'],
      nodeId: g.id,
      severity: 'warning',
      message: `waitForEvent "${g.id}" counts only events after it starts: ${unseen.map((e) => `"${e}"`).join(', ')} during the wait before it (${said(waits).join('; ')}) is not seen, and the journey goes on as if there were none (e.g. a payment reminder to a customer who has paid); ${limit}, or end the journey on it at any step with exitOn (event: ${unseen[0]}${match})`,
    });
  }
  return out;
}

/**
 * The nearest send the walk back from a waitForEvent stopped at that has a plain wait somewhere
 * before it (back to the entry or an earlier waitForEvent), and those waits; null when none has.
 */
function answeredBeforeTheMessage(sends: GraphNode[], before: Map<string, GraphNode[]>): { send: GraphNode; waits: GraphNode[] } | null {
  for (const send of sends) {
    const waits: GraphNode[] = [];
    const seen = new Set<string>([send.id!]);
    const queue = [...(before.get(send.id!) ?? [])];
    while (queue.length) {
      const prior = queue.pop()!;
      if (!prior.id || seen.has(prior.id)) continue;
      seen.add(prior.id);
      if (prior.type === 'entry' || prior.type === 'waitForEvent') continue;
      if (prior.type === 'wait') waits.push(prior);
      queue.push(...(before.get(prior.id) ?? []));
    }
    if (waits.length) return { send, waits: waits.sort((a, b) => a.index - b.index) };
  }
  return null;
}
