import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EngineObserver } from '../../server/src/core/observability/engine-observer.js';
import { ENGINE_THREAD_NICE, EngineThreadHost } from '../../server/src/runtime/engine-thread-host.js';
import { SharedWriteLock } from '../../server/src/runtime/shared-write-lock.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';

// Worker threads run compiled JavaScript: the thread's entry from dist/ (npm test builds it first).
const THREAD_ENTRY = new URL('../../dist/server/src/runtime/engine-thread.js', import.meta.url);

/** Nice value of each thread (task) of this process, by thread id (Linux /proc). */
function niceByThread(): Map<number, number> {
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
const linux = process.platform === 'linux';

/**
 * The engine thread's enrolment and stepping are not latency bound; requests are. On a busy
 * 2-core machine the thread shared a core evenly with the request thread (reminders due, a
 * burst of batched events) and halved its throughput.
 */
describe('the engine thread yields the CPU to the request thread', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase('sqlite');
  });
  afterAll(async () => db?.close());

  (linux ? it : it.skip)('runs at a nice value above the process, which keeps its own', async () => {
    expect(existsSync(fileURLToPath(THREAD_ENTRY))).toBe(true);
    expect(ENGINE_THREAD_NICE).toBeGreaterThan(0);
    const before = niceByThread();
    const main = before.get(process.pid)!;
    const lock = new SharedWriteLock();
    const host = new EngineThreadHost(
      { database: db.target, writeLock: lock.buffer, rulesDir: 'rules', tickMs: 3_600_000, pollMs: 3_600_000, planner: false },
      silentObserver,
      () => undefined,
      () => undefined,
      THREAD_ENTRY,
    );
    try {
      await host.ready;
      const after = niceByThread();
      expect(after.get(process.pid)).toBe(main);
      const lowered = [...after].filter(([tid, nice]) => !before.has(tid) && nice === Math.min(19, main + ENGINE_THREAD_NICE));
      expect(lowered.length).toBe(1);
    } finally {
      await host.close();
    }
  }, 60_000);
});
