import { readdirSync, readFileSync } from 'node:fs';
import type { EngineObserver } from '../../server/src/core/observability/engine-observer.js';
import type { DatabaseTarget } from '../../server/src/persistence/data-source.js';
import { EngineThreadHost } from '../../server/src/runtime/engine-thread-host.js';
import { SharedWriteLock } from '../../server/src/runtime/shared-write-lock.js';

/** Worker threads run compiled JavaScript: the engine thread's entry from dist/ (npm test builds it first). */
export const ENGINE_THREAD_ENTRY = new URL('../../dist/server/src/runtime/engine-thread.js', import.meta.url);

/** Nice value of each thread (task) of this process, by thread id (Linux /proc). */
export function niceByThread(): Map<number, number> {
  const out = new Map<number, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      out.set(Number(tid), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]));
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}

const silentObserver: EngineObserver = { ticked: () => undefined, tickFailed: () => undefined, eventsHandled: () => undefined };

/** An engine thread on `database` that neither ticks nor polls during a test (hour-long periods, no planner). */
export function idleEngineThread(database: DatabaseTarget): EngineThreadHost {
  return new EngineThreadHost(
    { database, writeLock: new SharedWriteLock().buffer, rulesDir: 'rules', tickMs: 3_600_000, pollMs: 3_600_000, planner: false },
    silentObserver,
    () => undefined,
    () => undefined,
    ENGINE_THREAD_ENTRY,
  );
}
