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

/**
 * A background thread's priority while it holds the shared write lock (shared-write-lock.ts):
 * `raise` sets the calling worker thread's nice value to the request thread's (the process's
 * main thread) from the moment it asks for its turn, `restore` puts back the nice value it had
 * when this was made, once the lock is handed on.
 *
 * Why: the engine thread (+5) and the WAL checkpointer (+10) run at a lower priority so that their
 * long work yields the CPU to the request thread. But while one of them holds the write lock, every
 * request's commit waits for it, and on a busy 2-core machine a holder at +5 preempted by nice-0
 * threads waited on the run queue for most of its hold (events bench, "due": holds of 30–70 ms of
 * which 3–14 ms running, the rest runnable but not run: /proc/thread-self/schedstat): the request
 * thread's tail was the low priority of the thread it waited for (priority inversion). Raised only
 * for the hold, the thread still yields the CPU for everything it does outside the lock.
 *
 * Raising a nice value needs CAP_SYS_NICE (root, as in the benches' containers) or an RLIMIT_NICE
 * allowing it (systemd LimitNICE=); where it is not permitted this returns null and the thread
 * keeps its lower priority throughout, as before. Linux only (each thread its own nice value).
 */
export interface HolderPriority {
  raise(): void;
  restore(): void;
}

export function lockHolderPriority(): HolderPriority | null {
  if (process.platform !== 'linux') return null;
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isSafeInteger(tid) || tid <= 0 || tid === process.pid) return null;
    const idle = getPriority(tid);
    const holding = getPriority(process.pid);
    if (holding >= idle) return null;
    // Tried once here: where raising is refused, every hold would pay a failing system call.
    setPriority(tid, holding);
    setPriority(tid, idle);
    // Never throws: it runs inside the write lock's acquire, and a refusal later on (limits
    // changed, capabilities dropped) must cost the priority, not the write. After one refusal it
    // stops trying; restore still puts the idle value back if the raise had taken.
    let permitted = true;
    let raised = false;
    return {
      raise: () => {
        if (!permitted) return;
        try {
          setPriority(tid, holding);
          raised = true;
        } catch {
          permitted = false;
        }
      },
      restore: () => {
        if (!raised) return;
        raised = false;
        try {
          setPriority(tid, idle);
        } catch {
          permitted = false;
        }
      },
    };
  } catch {
    return null;
  }
}
