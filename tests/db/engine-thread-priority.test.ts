import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ENGINE_THREAD_NICE } from '../../server/src/runtime/engine-thread-host.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';
import { ENGINE_THREAD_ENTRY, idleEngineThread, niceByThread } from '../support/threads.js';

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
    expect(existsSync(fileURLToPath(ENGINE_THREAD_ENTRY))).toBe(true);
    expect(ENGINE_THREAD_NICE).toBeGreaterThan(0);
    const before = niceByThread();
    const main = before.get(process.pid)!;
    const host = idleEngineThread(db.target);
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
