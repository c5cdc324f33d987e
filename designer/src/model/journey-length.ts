import { parseTypedDuration } from './duration.js';
import { edgesFrom } from './handles.js';
import type { DraftFlow, DraftNode } from './types.js';

const DAY = 86_400_000;

/**
 * When a customer who reaches `node` at `t` leaves it, at the latest: a wait's duration, a
 * response window's length (answered or not, the journey may sit there that long), a wait until
 * a time of day as up to one day, a wait until a date as that date (if not already past).
 * Monotone in `t`, so the latest arrival at each node gives the latest departure from it.
 */
function leaveAt(node: DraftNode, t: number): number {
  let out = t;
  const text = node.type === 'wait' ? node.duration : node.type === 'waitForEvent' ? node.within : undefined;
  if (typeof text === 'string') out += parseTypedDuration(text) ?? 0;
  if (node.type === 'wait' && typeof node.untilTime === 'string') out += DAY;
  if (node.type === 'wait' && typeof node.untilDate === 'string') {
    const d = Date.parse(node.untilDate);
    if (Number.isFinite(d)) out = Math.max(out, d);
  }
  return out;
}

/**
 * How long a journey through the flow can take at most, from entering at `start` (ms): the
 * longest path from the entry to an end, following the edges (so parallel branches count once,
 * not added up, and nodes nobody reaches do not count). A loop (a retry through a wait) is
 * followed once: its edge back to a node already on the path is not taken again, else the
 * longest path would be endless. A draft without an entry has no journeys: 0.
 */
export function longestJourney(flow: DraftFlow, start: number): number {
  const byId = new Map<string, DraftNode>();
  for (const n of flow.nodes) if (typeof n.id === 'string' && !byId.has(n.id)) byId.set(n.id, n);
  const entry = flow.nodes.find((n) => n.type === 'entry');
  if (!entry || typeof entry.id !== 'string') return 0;

  // Depth-first from the entry: the reverse post-order is a topological order of the graph
  // without its back edges (those closing a loop), which are left out.
  const order: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const forward = new Map<string, string[]>();
  const visit = (id: string) => {
    state.set(id, 'open');
    const next: string[] = [];
    for (const [, target] of edgesFrom(byId.get(id)!)) {
      if (!byId.has(target) || state.get(target) === 'open') continue; // missing node, or back edge
      next.push(target);
      if (!state.has(target)) visit(target);
    }
    forward.set(id, next);
    state.set(id, 'done');
    order.push(id);
  };
  visit(entry.id);
  order.reverse();

  const arrive = new Map<string, number>([[entry.id, start]]);
  let latest = start;
  for (const id of order) {
    const left = leaveAt(byId.get(id)!, arrive.get(id)!);
    latest = Math.max(latest, left);
    for (const target of forward.get(id)!) arrive.set(target, Math.max(arrive.get(target) ?? -Infinity, left));
  }
  return latest - start;
}
