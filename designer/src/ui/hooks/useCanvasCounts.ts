import { useEffect, useState } from 'react';
import { api } from '../../api.js';
import { LIVE_COUNTS_EVERY_MS, mergeCounts, type NodeCounts } from '../../model/counts.js';
import type { NextRun } from '../../model/next-run-words.js';
import { retried } from '../../model/retried.js';

/** A read the marketer waits on (a click, a confirmation): asked again briefly, not for half a minute. */
export const SHORT_WAITS = [500, 1_500] as const;

/**
 * The numbers on the canvas's steps: the live ones (GET /api/flows/:id/counts) or a simulation's.
 * `stale`: the last read of the live numbers failed (they are the ones read at `at`).
 * `simulatedAt`: what 实时数据 read is a simulation's, up to then (a server opened on its copy).
 */
export type CanvasCounts = { nodes: NodeCounts[]; source: 'live' | 'sim'; at?: number; nextRun?: NextRun | null; stale?: unknown; simulatedAt?: number | null } | null;

/** The live numbers as the canvas shows them. */
const liveOf = (c: Awaited<ReturnType<typeof api.counts>>): CanvasCounts => ({ nodes: mergeCounts(c.nodes, c.funnel), source: 'live', at: Date.now(), nextRun: c.nextRun ?? null, simulatedAt: c.simulatedAt ?? null });

/** The flow's live numbers, read now (asked again briefly); throws what the last try did. */
export async function fetchLiveCounts(flowId: string): Promise<CanvasCounts> {
  return liveOf(await retried(() => api.counts(flowId), { waits: SHORT_WAITS }));
}

/**
 * The canvas's numbers of one flow, and while the live ones are shown they are read again every
 * LIVE_COUNTS_EVERY_MS: read once, the entry card said 进入 0 beside the intake line's 开始了 5 段旅程
 * (it polls) for as long as the marketer watched orders arrive. One read at a time, none while the
 * tab is hidden; a failed read keeps the last numbers, marked as not updated with why (the next one
 * tries again, and so does 重试), and closing the numbers stops it.
 */
export function useCanvasCounts(flowId: string) {
  const [counts, setCounts] = useState<CanvasCounts>(null);
  /**
   * Reads the live numbers now (asked again briefly). A failure while they are shown marks them as
   * not updated; when none are shown it is returned, for the caller to say why none show.
   */
  const readLive = async (): Promise<unknown | null> => {
    try {
      setCounts(await fetchLiveCounts(flowId));
      return null;
    } catch (e) {
      if (counts?.source === 'live') {
        setCounts((c) => (c?.source === 'live' ? { ...c, stale: e } : c));
        return null;
      }
      return e;
    }
  };
  const liveShown = counts?.source === 'live';
  useEffect(() => {
    if (!liveShown) return;
    let busy = false;
    let stop = false;
    const timer = setInterval(() => {
      if (busy || document.visibilityState !== 'visible') return;
      busy = true;
      api
        .counts(flowId)
        .then((r) => !stop && setCounts((c) => (c?.source === 'live' ? liveOf(r) : c)))
        .catch((e: unknown) => !stop && setCounts((c) => (c?.source === 'live' ? { ...c, stale: e } : c)))
        .finally(() => (busy = false));
    }, LIVE_COUNTS_EVERY_MS);
    return () => {
      stop = true;
      clearInterval(timer);
    };
  }, [liveShown, flowId]);
  return { counts, setCounts, readLive };
}
