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
 * `current` says whether the answer shown is for the drawing on screen: while the next one is being
 * checked the panel keeps the last answer (no flicker to 正在检查 at every keystroke) but says it is busy —
 * a 问题 (0) read in that moment was the earlier drawing's (a send step added without 【签名】 showed 0
 * until the check of it came back; CI 6 Dec 2026).
 */
export function useServerCheck(flow: DraftFlow) {
  const [problems, setProblems] = useState<Problem[] | null>(null);
  const [failed, setFailed] = useState<{ error: unknown } | null>(null);
  const [round, setRound] = useState(0);
  const [answeredFor, setAnsweredFor] = useState<DraftFlow | null>(null);
  useEffect(() => {
    if (!flow.nodes.length) {
      setProblems([]);
      setFailed(null);
      setAnsweredFor(flow);
      return;
    }
    let live = true;
    const timer = setTimeout(
      () =>
        retried(() => api.validate(flow)).then(
          (r) => live && (setProblems(r.problems), setFailed(null), setAnsweredFor(flow)),
          (error: unknown) => live && (setProblems([]), setFailed({ error }), setAnsweredFor(flow)),
        ),
      300,
    );
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [flow, round]);
  return { problems, setProblems, failed, current: answeredFor === flow, retry: () => setRound((r) => r + 1) };
}
