import { hasInput, outputsOf, targetOf as targetOfAny, withTarget } from './handles.js';
import type { DraftFlow, DraftNode, NodeType } from './types.js';

/**
 * Connection rules of the canvas, as pure functions over the flow (the canvas redraws from the
 * flow): which handle may connect where, one edge per handle, no self-edge, exactly one entry.
 */
export interface Connection {
  source: string;
  sourceHandle: string | null | undefined;
  target: string;
}

export type Verdict = { ok: true } | { ok: false; reason: string };

const byId = (flow: DraftFlow, id: string) => flow.nodes.find((n) => n.id === id);

export function canConnect(flow: DraftFlow, c: Connection): Verdict {
  const source = byId(flow, c.source);
  const target = byId(flow, c.target);
  if (!source || !target) return { ok: false, reason: 'connect.unknownNode' };
  if (c.source === c.target) return { ok: false, reason: 'connect.self' };
  if (!hasInput(target)) return { ok: false, reason: 'connect.intoEntry' };
  if (!outputsOf(source).some((h) => h.id === c.sourceHandle)) return { ok: false, reason: 'connect.noSuchHandle' };
  return { ok: true };
}

/** Connects (an existing edge of the same handle is replaced: a handle leads to one node). */
export function connect(flow: DraftFlow, c: Connection): DraftFlow {
  const v = canConnect(flow, c);
  if (!v.ok) return flow;
  return { ...flow, nodes: flow.nodes.map((n) => (n.id === c.source ? withTarget(n, c.sourceHandle!, c.target) : n)) };
}

export function disconnect(flow: DraftFlow, source: string, handle: string): DraftFlow {
  return { ...flow, nodes: flow.nodes.map((n) => (n.id === source ? withTarget(n, handle, undefined) : n)) };
}

/** Removes nodes and every edge that led to them (those handles become unconnected). */
export function removeNodes(flow: DraftFlow, ids: readonly string[]): DraftFlow {
  const gone = new Set(ids);
  const nodes = flow.nodes
    .filter((n) => !gone.has(n.id))
    .map((n) => outputsOf(n).reduce<DraftNode>((acc, h) => (gone.has(String(targetOfAny(acc, h.id))) ? withTarget(acc, h.id, undefined) : acc), n));
  return { ...flow, nodes };
}

/** A flow has exactly one entry: the palette offers a second one only after the first is deleted. */
export function canAdd(flow: DraftFlow, type: NodeType): Verdict {
  if (type === 'entry' && flow.nodes.some((n) => n.type === 'entry')) return { ok: false, reason: 'connect.oneEntry' };
  return { ok: true };
}

/** Renames a node and every edge that points to it (ids are stable otherwise). */
export function renameNode(flow: DraftFlow, from: string, to: string): DraftFlow {
  if (from === to || flow.nodes.some((n) => n.id === to)) return flow;
  return {
    ...flow,
    nodes: flow.nodes.map((n) => {
      let m = n.id === from ? { ...n, id: to } : n;
      for (const h of outputsOf(m)) if (targetOfAny(m, h.id) === from) m = withTarget(m, h.id, to);
      return m;
    }),
  };
}
