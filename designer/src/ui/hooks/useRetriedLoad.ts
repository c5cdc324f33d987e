import { useCallback, useEffect, useState, type DependencyList } from 'react';
import { retried, worthRetrying } from '../../model/retried.js';

export interface RetriedLoad<T> {
  /** The answer (null while loading, and after a failure). */
  data: T | null;
  /** The failure once the tries ran out, or at once for an answer such as a 4xx (null: none). */
  failed: { error: unknown } | null;
  /** Loads again from the first try (the screen's 重试). */
  retry: () => void;
}

/**
 * A screen's opening load (GETs only: a write is never asked twice), asked again while the server
 * cannot answer (model/retried.ts) so one 503 or dropped connection during a restart does not leave
 * the screen on an error until the page is reloaded. `answer`: failures the caller handles itself
 * and that are not worth another try (a missing flow). Loaded again when `deps` change; the data of
 * the earlier deps is never returned for the new ones (an editor reloaded after a discard must not
 * open the document it replaces for a moment).
 */
export function useRetriedLoad<T>(load: () => Promise<T>, deps: DependencyList, answer: (e: unknown) => boolean = () => false): RetriedLoad<T> {
  const [round, setRound] = useState(0);
  const key = JSON.stringify([...deps, round]);
  const [state, setState] = useState<{ key: string; data: T | null; failed: { error: unknown } | null } | null>(null);
  useEffect(() => {
    let live = true;
    retried(load, { worth: (e) => !answer(e) && worthRetrying(e) })
      .then((data) => live && setState({ key, data, failed: null }))
      .catch((error: unknown) => live && setState({ key, data: null, failed: { error } }));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller's deps say when the load changes
  }, [key]);
  const retry = useCallback(() => setRound((r) => r + 1), []);
  const current = state?.key === key ? state : null;
  return { data: current?.data ?? null, failed: current?.failed ?? null, retry };
}
