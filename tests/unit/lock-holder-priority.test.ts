import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from '@jest/globals';
import { SharedWriteLock } from '../../server/src/runtime/shared-write-lock.js';
import type { HolderPriority } from '../../server/src/runtime/thread-priority.js';
import { niceByThread } from '../support/threads.js';

// Worker threads run compiled JavaScript: the module from dist/ (npm test builds it first).
const PRIORITY_MODULE = new URL('../../dist/server/src/runtime/thread-priority.js', import.meta.url);

/** Raising a nice value is permitted here: CAP_SYS_NICE (bit 23 of the effective capabilities: root in the benches' containers). */
function mayRaiseNice(): boolean {
  if (process.platform !== 'linux') return false;
  const eff = /CapEff:\s*([0-9a-f]+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  return !!eff && (BigInt(`0x${eff}`) & (1n << 23n)) !== 0n;
}

/** A thread that lowers its priority by 5 (as the engine thread), then raises and restores it on request, saying where it is. */
const HOLDER_LIKE = `
const { workerData, parentPort } = require('node:worker_threads');
import(workerData.module).then(({ lowerThisThreadPriority, lockHolderPriority }) => {
  lowerThisThreadPriority(5);
  const p = lockHolderPriority();
  parentPort.postMessage(p ? 'lowered' : 'no boost');
  parentPort.on('message', (m) => {
    if (m === 'raise') p.raise();
    if (m === 'restore') p.restore();
    parentPort.postMessage(m);
  });
});
`;

/**
 * The engine thread (+5) and the WAL checkpointer (+10) yield the CPU to the request thread, but
 * while one of them holds the shared write lock every request's commit waits for it: on a busy
 * machine a holder at a low priority spent most of its hold waiting for a CPU. So they hold the
 * lock at the request thread's priority (where raising a nice value is permitted).
 */
describe('a background thread holds the shared write lock at the request thread’s priority', () => {
  it('is raised before it waits for its turn and lowered again only after it has handed the lock on', () => {
    for (const take of [(l: SharedWriteLock, p: HolderPriority) => l.forEngineThread(p), (l: SharedWriteLock, p: HolderPriority) => l.forCheckpointerThread(p)]) {
      const lock = new SharedWriteLock();
      const cells = new Int32Array(lock.buffer);
      const calls: string[] = [];
      const free = () => Atomics.load(cells, 0) === Atomics.load(cells, 1);
      const holder = take(lock, { raise: () => calls.push(`raise, lock free: ${free()}`), restore: () => calls.push(`restore, lock free: ${free()}`) });
      holder.acquire();
      expect(calls).toEqual(['raise, lock free: true']);
      holder.release();
      expect(calls).toEqual(['raise, lock free: true', 'restore, lock free: true']);
    }
  });

  (mayRaiseNice() ? it : it.skip)('moves the thread to the process’s nice value and back, the process keeping its own', async () => {
    const before = niceByThread();
    const main = before.get(process.pid)!;
    const w = new Worker(HOLDER_LIKE, { eval: true, workerData: { module: PRIORITY_MODULE.href } });
    const said: string[] = [];
    const next = () => new Promise<string>((r) => w.once('message', (m: string) => (said.push(m), r(m))));
    try {
      expect(await next()).toBe('lowered');
      const thread = () => [...niceByThread()].filter(([tid]) => !before.has(tid)).map(([, nice]) => nice);
      expect(thread()).toContain(Math.min(19, main + 5));
      w.postMessage('raise');
      await next();
      expect(thread()).not.toContain(Math.min(19, main + 5));
      expect(niceByThread().get(process.pid)).toBe(main);
      w.postMessage('restore');
      await next();
      expect(thread()).toContain(Math.min(19, main + 5));
    } finally {
      await w.terminate();
    }
  });
});
