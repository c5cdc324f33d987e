/**
 * Undo/redo over whole states (flow + layout): a state is small, and replacing it whole keeps
 * undo exact. Pure: each call returns a new history.
 *
 * Steps are meaningful, not keystrokes: a change recorded with the same `group` as the one before
 * (typing in one field of one node, say) replaces the present instead of adding a step, so one
 * undo takes back the whole word the marketer typed.
 */
export interface History<T> {
  past: T[];
  present: T;
  future: T[];
  /** The group of the last recorded change (see record). */
  group?: string;
}

const LIMIT = 100;

export const start = <T>(present: T): History<T> => ({ past: [], present, future: [] });

export function record<T>(h: History<T>, next: T, group?: string): History<T> {
  if (next === h.present) return h;
  if (group !== undefined && group === h.group && h.past.length) return { past: h.past, present: next, future: [], group };
  return { past: [...h.past, h.present].slice(-LIMIT), present: next, future: [], group };
}

/** Changes the present without an undo step (e.g. while a node is being dragged). */
export const replace = <T>(h: History<T>, next: T): History<T> => ({ ...h, present: next });

/** Starts a step without changing anything yet (a drag begins: its end state is one step). */
export const checkpoint = <T>(h: History<T>): History<T> => ({ past: [...h.past, h.present].slice(-LIMIT), present: h.present, future: [], group: undefined });

export function undo<T>(h: History<T>): History<T> {
  if (!h.past.length) return h;
  return { past: h.past.slice(0, -1), present: h.past[h.past.length - 1], future: [h.present, ...h.future] };
}

export function redo<T>(h: History<T>): History<T> {
  if (!h.future.length) return h;
  return { past: [...h.past, h.present], present: h.future[0], future: h.future.slice(1) };
}

/**
 * The undo group of an edit of one node: the node and the fields that changed, so typing in one
 * field is one step and moving to another field (or node) starts the next.
 */
export function editGroup(before: Record<string, unknown> | undefined, after: Record<string, unknown>): string {
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after)])].filter((k) => JSON.stringify(before?.[k]) !== JSON.stringify(after[k])).sort();
  return `edit:${String(after.id)}:${keys.join(',')}`;
}
