import { LINK_CLICK } from '../data/system-events.js';
import { graphOf } from './graph-checks.js';
import type { PathProblem } from './problems.js';

/**
 * A `waitForEvent` that waits only for a click (`click`, a tracked link opened) while no send step
 * on the way to it has a link target: the messages carry no link, nobody can click, and every
 * journey takes "timedOut" — the designer showed 已响应 · 0 with no warning (a marketer who wrote
 * "回复 1 领券" and picked 点击链接 published it as it was). Works on the raw nodes, like the graph
 * checks; a send reached only through a missing or unknown step is not looked for.
 */
export function checkUnclickableWaits(nodes: readonly unknown[]): PathProblem[] {
  const graph = graphOf(nodes);
  const byId = new Map(graph.filter((g) => g.id !== null).map((g) => [g.id!, g]));
  const before = new Map<string, string[]>();
  for (const g of graph) for (const e of g.edges) if (g.id && e.target) before.set(e.target, [...(before.get(e.target) ?? []), g.id]);
  const hasLink = (i: number) => {
    const n = nodes[i] as Record<string, unknown> | null;
    return !!n && typeof n === 'object' && typeof n.link === 'string' && n.link.trim() !== '';
  };
  const out: PathProblem[] = [];
  for (const g of graph) {
    const node = nodes[g.index] as Record<string, unknown> | null;
    if (g.type !== 'waitForEvent' || !g.id || !node || !Array.isArray(node.events) || node.events.length === 0) continue;
    if (!node.events.every((e) => e === LINK_CLICK)) continue;
    // Every step a journey can pass before reaching this wait.
    const seen = new Set<string>();
    const queue = [...(before.get(g.id) ?? [])];
    let linked = false;
    while (queue.length && !linked) {
      const id = queue.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      const prior = byId.get(id);
      if (!prior) continue;
      if (prior.type === 'send' && hasLink(prior.index)) linked = true;
      queue.push(...(before.get(id) ?? []));
    }
    if (linked) continue;
    out.push({
      path: ['nodes', g.index, 'events'],
      nodeId: g.id,
      severity: 'warning',
      message: 'waitForEvent waits for a click, but no send step before it has a link target: its messages carry no link, so nobody can click and every journey takes "timedOut"; give a send before it a link target (link) or wait for another event',
    });
  }
  return out;
}
