import { closestName } from '../text/closest-name.js';
import { graphOf, type GraphNode } from './graph-of.js';
import type { PathProblem, ValuePath } from './problems.js';
import type { FlowNode } from './schema.js';

export { graphOf, type GraphEdge, type GraphNode } from './graph-of.js';

/**
 * Checks on the shape of a flow's graph, as pure functions over the node list. They accept
 * schema-valid nodes (`Flow['nodes']`) AND raw nodes that failed the schema (a half-drawn flow
 * in the designer, a file with a typo), so one broken node does not hide the graph problems of
 * the others. Problems carry the node id (the designer pins them on the node) and a value path
 * (flow-file.ts turns it into a line).
 *
 * Checks: duplicate node ids, exactly one entry node, unconnected branches, edges to missing
 * nodes, nodes unreachable from the entry, and loops that pass through no wait: such a loop
 * would spin a customer through sends and actions without ever pausing.
 */

/** Node types that pause a journey: a loop through one of them is a deliberate retry. */
export const PAUSING_TYPES: ReadonlySet<string> = new Set(['wait', 'waitForEvent']);

const problem = (node: GraphNode | null, path: ValuePath, message: string): PathProblem => ({ path, nodeId: node?.id ?? null, message, severity: 'error' });

export function checkDuplicateIds(graph: GraphNode[]): PathProblem[] {
  const first = new Map<string, GraphNode>();
  const out: PathProblem[] = [];
  for (const n of graph) {
    if (n.id === null) continue;
    const seen = first.get(n.id);
    if (seen) out.push(problem(n, ['nodes', n.index, 'id'], `duplicate node id "${n.id}" (also node #${seen.index + 1} in the list)`));
    else first.set(n.id, n);
  }
  return out;
}

export function checkSingleEntry(graph: GraphNode[]): PathProblem[] {
  const entries = graph.filter((n) => n.type === 'entry');
  if (entries.length === 0) return [problem(null, ['nodes'], 'a flow needs exactly one entry node; there is none')];
  return entries.slice(1).map((n) => problem(n, ['nodes', n.index, 'type'], `a flow needs exactly one entry node; "${entries[0].id}" is already the entry`));
}

export function checkEdges(graph: GraphNode[]): PathProblem[] {
  const ids = new Set(graph.map((n) => n.id).filter((id): id is string => id !== null));
  const out: PathProblem[] = [];
  for (const n of graph) {
    for (const e of n.edges) {
      if (e.target === null) out.push(problem(n, e.path, `branch "${e.handle}" is not connected to any node`));
      else if (!ids.has(e.target)) {
        const near = closestName(e.target, ids);
        if (near) out.push(problem(n, e.path, `edge "${e.handle}" points to missing node "${e.target}" (did you mean "${near}"?)`));
        else out.push(problem(n, e.path, `edge "${e.handle}" points to missing node "${e.target}"`));
      }
    }
  }
  return out;
}

function successors(graph: GraphNode[]): Map<string, string[]> {
  const ids = new Set(graph.map((n) => n.id));
  const next = new Map<string, string[]>();
  for (const n of graph) {
    if (n.id === null || next.has(n.id)) continue; // duplicates: the first node with the id counts
    next.set(n.id, n.edges.map((e) => e.target).filter((t): t is string => t !== null && ids.has(t)));
  }
  return next;
}

/**
 * Where the broken edges (to a missing node, reported by checkEdges) were most likely meant to go:
 * the closest existing id, or, with none close, every node nothing points to. The nodes behind a
 * mistyped `next` are unreachable only because of that one typo; they are not reported again.
 */
function intendedTargets(graph: GraphNode[]): string[] {
  const ids = new Set(graph.map((n) => n.id).filter((id): id is string => id !== null));
  const broken = graph.flatMap((n) => n.edges).filter((e) => e.target !== null && !ids.has(e.target));
  if (broken.length === 0) return [];
  const pointedTo = new Set(graph.flatMap((n) => n.edges.map((e) => e.target)));
  const orphans = graph.filter((n) => n.id !== null && n.type !== 'entry' && !pointedTo.has(n.id)).map((n) => n.id!);
  return broken.flatMap((e) => {
    const near = closestName(e.target!, ids);
    return near ? [near] : orphans;
  });
}

export function checkReachable(graph: GraphNode[]): PathProblem[] {
  const entries = graph.filter((n) => n.type === 'entry' && n.id !== null);
  if (entries.length === 0) return []; // reported by checkSingleEntry; everything would be "unreachable"
  const next = successors(graph);
  const seen = new Set<string>([...entries.map((e) => e.id!), ...intendedTargets(graph)]);
  const queue = [...seen];
  while (queue.length) for (const t of next.get(queue.shift()!) ?? []) if (!seen.has(t)) (seen.add(t), queue.push(t));
  return graph
    .filter((n) => n.id !== null && !seen.has(n.id))
    .map((n) => problem(n, ['nodes', n.index, 'id'], `node is unreachable from the entry node "${entries[0].id}"`));
}

/**
 * Cycles that pass through no wait/waitForEvent node: strongly connected components of the
 * graph with the pausing nodes taken out (Tarjan). One problem per loop, on its first node in
 * file order, naming the loop.
 */
export function checkLoopsWithoutWait(graph: GraphNode[]): PathProblem[] {
  const byId = new Map<string, GraphNode>();
  for (const n of graph) if (n.id !== null && !byId.has(n.id)) byId.set(n.id, n);
  const next = new Map<string, string[]>();
  for (const [id, targets] of successors(graph)) {
    if (PAUSING_TYPES.has(byId.get(id)!.type ?? '')) continue;
    next.set(id, targets.filter((t) => !PAUSING_TYPES.has(byId.get(t)!.type ?? '')));
  }

  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        comp.push(w);
      } while (w !== v);
      components.push(comp);
    }
  };
  for (const v of next.keys()) if (!index.has(v)) visit(v);

  const out: PathProblem[] = [];
  for (const comp of components) {
    const members = new Set(comp);
    const isLoop = comp.length > 1 || (next.get(comp[0]) ?? []).includes(comp[0]);
    if (!isLoop) continue;
    const start = [...members].sort((a, b) => byId.get(a)!.index - byId.get(b)!.index)[0];
    const cycle = cycleThrough(start, members, next);
    const node = byId.get(start)!;
    out.push(problem(node, ['nodes', node.index, 'id'], `loop without a wait: ${cycle.join(' → ')}; add a wait or waitForEvent node so a customer cannot cycle through it at once`));
  }
  return out;
}

/** A shortest cycle start → … → start inside one strongly connected component (BFS). */
function cycleThrough(start: string, members: Set<string>, next: Map<string, string[]>): string[] {
  const parent = new Map<string, string>();
  const queue = [start];
  while (queue.length) {
    const v = queue.shift()!;
    for (const w of next.get(v) ?? []) {
      if (!members.has(w)) continue;
      if (w === start) {
        const path = [v];
        while (path[0] !== start) path.unshift(parent.get(path[0])!);
        return [...path, start];
      }
      if (!parent.has(w)) (parent.set(w, v), queue.push(w));
    }
  }
  return [start, start];
}

/** All graph checks, in the order a reader fixes them. */
export function checkGraph(nodes: readonly (FlowNode | unknown)[]): PathProblem[] {
  const graph = graphOf(nodes);
  return [...checkDuplicateIds(graph), ...checkSingleEntry(graph), ...checkEdges(graph), ...checkReachable(graph), ...checkLoopsWithoutWait(graph)];
}
