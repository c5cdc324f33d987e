import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from '@jest/globals';
import { SharedWriteLock } from '../../server/src/runtime/shared-write-lock.js';

// Worker threads run compiled JavaScript: the lock's module from dist/ (npm test builds it first).
const LOCK_MODULE = new URL('../../dist/server/src/runtime/shared-write-lock.js', import.meta.url);

/**
 * A thread that takes the lock as the WAL checkpointer's thread does (forCheckpointerThread), says
 * 'holding' once it has it, then blocks for good without releasing it: the test kills it there,
 * or while it still waits its turn.
 */
const CHECKPOINTER_LIKE = `
const { workerData, parentPort } = require('node:worker_threads');
import(workerData.module).then(({ SharedWriteLock }) => {
  const lock = new SharedWriteLock(workerData.buffer).forCheckpointerThread();
  parentPort.postMessage('taking');
  lock.acquire();
  parentPort.postMessage('holding');
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
});
`;

/** Lets every pending microtask and timer-free callback run: a lock that lets everyone through has resolved by then. */
const settle = () => new Promise((r) => setImmediate(r));

/**
 * The server's two writers take turns through a SharedWriteLock; the WAL checkpointer thread takes
 * it for a moment too. Should that thread die holding or waiting for its turn, the turn is passed
 * on and the writers go on taking turns — the lock is not broken for them, as it is when the
 * engine thread (a writer) dies.
 */
describe('SharedWriteLock when the checkpointer thread dies', () => {
  let worker: Worker | null = null;
  afterEach(async () => {
    await worker?.terminate();
    worker = null;
  });

  function startCheckpointerLike(lock: SharedWriteLock): { said: string[]; next(word: string): Promise<void> } {
    expect(existsSync(fileURLToPath(LOCK_MODULE))).toBe(true);
    const said: string[] = [];
    const w = new Worker(CHECKPOINTER_LIKE, { eval: true, workerData: { module: LOCK_MODULE.href, buffer: lock.buffer } });
    worker = w;
    w.on('message', (m: string) => said.push(m));
    return {
      said,
      next: (word) => new Promise<void>((resolve, reject) => {
        if (said.includes(word)) return resolve();
        w.on('message', (m: string) => m === word && resolve());
        w.once('exit', () => reject(new Error(`thread exited before '${word}'`)));
      }),
    };
  }

  /** The lock still makes a second writer wait for the first: nothing lets it through early. */
  async function expectTurnsTaken(lock: SharedWriteLock): Promise<void> {
    const writer = lock.forRequestThread();
    await writer.acquire();
    let second = false;
    const secondTurn = Promise.resolve(writer.acquire()).then(() => (second = true));
    await settle();
    expect(second).toBe(false);
    writer.release();
    await secondTurn;
    expect(second).toBe(true);
    writer.release();
  }

  it('passes on the turn of a thread killed holding the lock', async () => {
    const lock = new SharedWriteLock();
    const t = startCheckpointerLike(lock);
    await t.next('holding');
    await worker!.terminate();
    expect(await lock.freeDeadCheckpointerTurn()).toBe('freed');
    // Freed once: asked again, there is nothing left to free.
    expect(await lock.freeDeadCheckpointerTurn()).toBe('none');
    await expectTurnsTaken(lock);
  });

  it('passes on the turn of a thread killed while it waited for it, once that turn comes', async () => {
    const lock = new SharedWriteLock();
    const writer = lock.forRequestThread();
    await writer.acquire();
    const t = startCheckpointerLike(lock);
    await t.next('taking');
    // Its ticket is taken once NEXT (the lock's first cell) has moved past the writer's.
    const next = new Int32Array(lock.buffer);
    for (let i = 0; i < 2000 && Atomics.load(next, 0) < 2; i++) await new Promise((r) => setTimeout(r, 5));
    expect(Atomics.load(next, 0)).toBe(2);
    await worker!.terminate();
    expect(t.said).toEqual(['taking']);

    // Behind the dead thread's turn, another writer waits; the dead turn is passed on only after the holder's.
    let freed: string | null = null;
    const freeing = lock.freeDeadCheckpointerTurn().then((r) => (freed = r));
    let after = false;
    const afterTurn = Promise.resolve(writer.acquire()).then(() => (after = true));
    await settle();
    expect(freed).toBeNull();
    expect(after).toBe(false);
    writer.release();
    await freeing;
    expect(freed).toBe('freed');
    await afterTurn;
    writer.release();
    await expectTurnsTaken(lock);
  });

  it('leaves the lock alone when the thread held no turn', async () => {
    const lock = new SharedWriteLock();
    expect(await lock.freeDeadCheckpointerTurn()).toBe('none');
    await expectTurnsTaken(lock);
  });

  it('breaks the lock for everyone when the engine thread dies (unchanged)', async () => {
    const lock = new SharedWriteLock();
    const writer = lock.forRequestThread();
    await writer.acquire();
    lock.break();
    // No one waits for anyone any more: SQLite's busy timeout guards.
    await writer.acquire();
    await writer.acquire();
  });
});

/**
 * While the request thread writes batches of events back to back (pressing), the engine thread
 * holds back its turn of the lock, at most ENGINE_DEFER_MS, and goes on at once when they end.
 */
describe('SharedWriteLock while the request thread presses', () => {
  it('holds the engine thread back for at most ENGINE_DEFER_MS', async () => {
    const { ENGINE_DEFER_MS } = await import('../../server/src/runtime/shared-write-lock.js');
    const lock = new SharedWriteLock();
    const requests = lock.forRequestThread();
    const engine = lock.forEngineThread();
    let t0 = performance.now();
    engine.acquire();
    expect(performance.now() - t0).toBeLessThan(ENGINE_DEFER_MS / 2);
    engine.release();
    requests.pressing!(true);
    t0 = performance.now();
    engine.acquire(); // blocks this thread: nobody ends the pressure, so it waits the whole bound
    const waited = performance.now() - t0;
    engine.release();
    expect(waited).toBeGreaterThanOrEqual(ENGINE_DEFER_MS - 5);
    expect(waited).toBeLessThan(ENGINE_DEFER_MS * 4);
    requests.pressing!(false);
    t0 = performance.now();
    engine.acquire();
    expect(performance.now() - t0).toBeLessThan(ENGINE_DEFER_MS / 2);
    engine.release();
    // The request thread's own turns never wait for it.
    requests.pressing!(true);
    await requests.acquire();
    requests.release();
    requests.pressing!(false);
  });

  it('lets a held-back engine thread go as soon as the pressure ends', async () => {
    expect(existsSync(fileURLToPath(LOCK_MODULE))).toBe(true);
    const lock = new SharedWriteLock();
    const requests = lock.forRequestThread();
    requests.pressing!(true);
    const w = new Worker(
      `const { workerData, parentPort } = require('node:worker_threads');
       import(workerData.module).then(({ SharedWriteLock }) => {
         const engine = new SharedWriteLock(workerData.buffer).forEngineThread();
         parentPort.postMessage('ready');
         const t0 = performance.now();
         engine.acquire();
         engine.release();
         parentPort.postMessage(performance.now() - t0);
       });`,
      { eval: true, workerData: { module: LOCK_MODULE.href, buffer: lock.buffer } },
    );
    // The thread's messages in order: 'ready' before it asks for its turn, then how long it waited (ms).
    const messages: unknown[] = [];
    const waiting: ((m: unknown) => void)[] = [];
    w.on('message', (m) => (waiting.length ? waiting.shift()!(m) : messages.push(m)));
    const next = () => (messages.length ? Promise.resolve(messages.shift()) : new Promise<unknown>((r) => waiting.push(r)));
    try {
      expect(await next()).toBe('ready');
      await new Promise((r) => setTimeout(r, 40));
      requests.pressing!(false);
      const waited = (await next()) as number;
      expect(waited).toBeGreaterThanOrEqual(30);
      expect(waited).toBeLessThan(200);
    } finally {
      await w.terminate();
    }
  });
});
