import { useEffect, useRef } from 'react';
import type { History } from '../../model/history.js';
import type { HistorySlot, KeptDrawing } from '../../model/kept-history.js';

/**
 * Keeps the editor's undo history in the slot: a moment after it stops changing (a drag changes it
 * on every mouse move; a whole history is up to a megabyte of JSON), and at once when the page is
 * left or reloaded and when the editor closes. Returns `settle`, for publish and discard: the kept
 * steps are dropped, and the steps taken before then are never kept again (only those made after).
 */
export function useKeptHistory(slot: HistorySlot | null, hist: History<KeptDrawing>): () => void {
  const latest = useRef(hist);
  latest.current = hist;
  // What was restored or opened is already what storage has (or nothing worth keeping).
  const written = useRef(hist);
  /** Steps from before the last publish or discard (by identity: history moves whole drawings around). */
  const settledSteps = useRef(new WeakSet<KeptDrawing>());
  const write = useRef(() => {});
  write.current = () => {
    const h = latest.current;
    if (!slot || written.current === h) return;
    written.current = h;
    const cut = settledSteps.current;
    slot.keep({ ...h, past: h.past.filter((d) => !cut.has(d)), future: h.future.filter((d) => !cut.has(d)) });
  };
  useEffect(() => {
    if (!slot || written.current === hist) return;
    const timer = setTimeout(() => write.current(), 300);
    return () => clearTimeout(timer);
  }, [hist, slot]);
  useEffect(() => {
    const now = () => write.current();
    window.addEventListener('pagehide', now);
    return () => {
      window.removeEventListener('pagehide', now);
      now();
    };
  }, []);
  return () => {
    slot?.drop();
    const h = latest.current;
    for (const d of [...h.past, ...h.future]) settledSteps.current.add(d);
    written.current = h;
  };
}
