/**
 * Runs an async task so that a call starts only after the previous call has finished. Draft saves
 * go through it: each save names the revision the last one returned, so two saves in flight at
 * once (the autosave timer and a save on leaving) would have the later one refused as a conflict
 * with this same tab.
 */
export function oneAtATime<T>(task: () => Promise<T>): () => Promise<T> {
  let last: Promise<unknown> = Promise.resolve();
  return () => {
    const next = last.then(task, task);
    last = next.catch(() => undefined);
    return next;
  };
}
