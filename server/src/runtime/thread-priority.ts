import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/**
 * Lowers the CPU priority of the calling worker thread only (raises its nice value by `by`), on
 * Linux, where each thread is a task with a nice value of its own (setpriority on the thread's
 * id, read from /proc/thread-self). For background threads whose work is long and not latency
 * bound — the SQL reader thread's whole-shop scans: on a busy machine the scheduler then lets
 * the request thread run first instead of sharing a core evenly with a half-second scan (which
 * put 2-3 s stalls into event requests while a segment was computed in a loop). On an idle
 * machine it changes nothing. Never applied to the main thread; a no-op elsewhere.
 * Returns the new nice value, or null when nothing was changed.
 */
export function lowerThisThreadPriority(by: number): number | null {
  if (process.platform !== 'linux') return null;
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isSafeInteger(tid) || tid <= 0 || tid === process.pid) return null;
    const nice = Math.min(19, getPriority(tid) + by);
    setPriority(tid, nice);
    return nice;
  } catch {
    return null;
  }
}
