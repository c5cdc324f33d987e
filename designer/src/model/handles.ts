import type { DraftNode } from './types.js';

/**
 * The outgoing handles of each node type, named like the fields that hold the edges in the flow
 * file (edgesOf in server/src/core/flow/schema.ts), so a handle id is also where its edge lives.
 */
export interface OutHandle {
  /** Handle id: next, yes, no, responded, timedOut, capped, else, case-<i>, arm-<id>. */
  id: string;
  /** i18n key of the label (edge.yes …), or literal text for cases and arms. */
  label: { key: string } | { text: string };
}

type Raw = Record<string, unknown>;
const list = (v: unknown): Raw[] => (Array.isArray(v) ? (v.filter((x) => x && typeof x === 'object') as Raw[]) : []);

export function outputsOf(node: DraftNode): OutHandle[] {
  const k = (id: string): OutHandle => ({ id, label: { key: `edge.${id}` } });
  switch (node.type) {
    case 'entry':
    case 'wait':
    case 'action':
      return [k('next')];
    case 'send':
      // The capped branch exists only when the node says to branch on a cap.
      return node.onCapped === 'branch' ? [k('next'), k('capped')] : [k('next')];
    case 'condition':
      return [k('yes'), k('no')];
    case 'waitForEvent':
      return [k('responded'), k('timedOut')];
    case 'switch':
      return [...list(node.cases).map((c, i): OutHandle => ({ id: `case-${i}`, label: { text: typeof c.label === 'string' && c.label ? c.label : `#${i + 1}` } })), k('else')];
    case 'split':
      return list(node.arms).map((a) => ({ id: `arm-${String(a.id)}`, label: { text: `${typeof a.label === 'string' && a.label ? a.label : String(a.id)} ${typeof a.weight === 'number' ? a.weight + '%' : ''}`.trim() } }));
    case 'limit':
      // The overflow branch exists only when the limit keeps the first N.
      return node.mode === 'keep' ? [k('next'), k('overflow')] : [k('next')];
    case 'exit':
      return [];
  }
}

/** Every node but the entry can be reached; the entry is where customers come in. */
export function hasInput(node: DraftNode): boolean {
  return node.type !== 'entry';
}

/** The node id an edge handle points to (undefined when not connected). */
export function targetOf(node: DraftNode, handle: string): string | undefined {
  const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  const m = /^(case|arm)-(.+)$/.exec(handle);
  if (m && m[1] === 'case') return str(list(node.cases)[Number(m[2])]?.next);
  if (m && m[1] === 'arm') return str(list(node.arms).find((a) => String(a.id) === m[2])?.next);
  return str(node[handle]);
}

/** A copy of the node with the edge of `handle` set to `target` (or removed when undefined). */
export function withTarget(node: DraftNode, handle: string, target: string | undefined): DraftNode {
  const m = /^(case|arm)-(.+)$/.exec(handle);
  const setNext = (item: Raw): Raw => {
    const copy = { ...item };
    if (target === undefined) delete copy.next;
    else copy.next = target;
    return copy;
  };
  if (m && m[1] === 'case') return { ...node, cases: list(node.cases).map((c, i) => (i === Number(m[2]) ? setNext(c) : c)) };
  if (m && m[1] === 'arm') return { ...node, arms: list(node.arms).map((a) => (String(a.id) === m[2] ? setNext(a) : a)) };
  const copy: DraftNode = { ...node };
  if (target === undefined) delete copy[handle];
  else copy[handle] = target;
  return copy;
}

/** Every connected edge of a node: [handle, target]. */
export function edgesFrom(node: DraftNode): [string, string][] {
  return outputsOf(node).flatMap((h) => {
    const t = targetOf(node, h.id);
    return t ? [[h.id, t] as [string, string]] : [];
  });
}
