import { useEffect, useState } from 'react';
import { api } from '../../api.js';
import { retried } from '../../model/retried.js';
import type { DraftFlow, Problem } from '../../model/types.js';

/**
 * The server's check of the drawing (the same as `rekindle validate`), run a moment after the
 * marketer stops drawing and asked again while the server cannot answer. `problems` is null until
 * the first answer (the panel says 正在检查, not 没有问题); `failed` when it did not come even so —
 * the panel then says the check was not done (its problems used to stay at 正在检查 for ever, or
 * at the last drawing's), with `retry`. An answer for an earlier drawing is never shown for a later one.
 */
export function useServerCheck(flow: DraftFlow) {
  const [problems, setProblems] = useState<Problem[] | null>(null);
  const [failed, setFailed] = useState<{ error: unknown } | null>(null);
  const [round, setRound] = useState(0);
  useEffect(() => {
    if (!flow.nodes.length) {
      setProblems([]);
      setFailed(null);
      return;
    }
    let live = true;
    const timer = setTimeout(
      () =>
        retried(() => api.validate(flow)).then(
          (r) => live && (setProblems(r.problems), setFailed(null)),
          (error: unknown) => live && (setProblems([]), setFailed({ error })),
        ),
      300,
    );
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [flow, round]);
  return { problems, setProblems, failed, retry: () => setRound((r) => r + 1) };
}
