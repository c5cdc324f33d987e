/**
 * An undo group shared by every change recorded in the same tick (model/history.ts record): a
 * step deleted with the Delete key reaches the drawing as two changes in one tick — React Flow
 * removes the edges into it (onEdgesChange), then the step (onNodesChange) — and each was its own
 * undo step, so one 撤销 brought the step back without the line into it. A new tick starts a new group.
 */
export function tickGroups(prefix: string, later: (f: () => void) => void = queueMicrotask): () => string {
  let n = 0;
  let current: string | null = null;
  return () => {
    if (current === null) {
      current = `${prefix}:${++n}`;
      later(() => (current = null));
    }
    return current;
  };
}
