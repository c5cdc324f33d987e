import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { EventBatchColumns } from '../core/data/event-batch.js';
import type { FromEventBatchParser, ToEventBatchParser } from './event-batch-parse-thread.js';

const ENTRY = new URL('./event-batch-parse-thread.js', import.meta.url);

/**
 * Parses and validates batch bodies of `POST /api/events` in a thread of its own
 * (event-batch-parse-thread.ts). Under batches of 1,000 events the request thread was the
 * limit (~90% busy), and about a fifth of it was JSON.parse, validation and serialising each
 * event's properties (twice); the machine's other core had room. `parse` answers the body's
 * columns, or null whenever the thread cannot take it (not an array of at most `max` items, or
 * the thread is gone): the caller then parses and validates in-process, as before, so answers
 * never depend on which thread parsed.
 */
export interface EventBatchParser {
  parse(bytes: Uint8Array, timezone: string, max: number): Promise<EventBatchColumns | null>;
  close(): Promise<void>;
}

/** null when the compiled thread entry is missing (tests running from the TypeScript sources): the caller parses in-process. */
export function threadEventBatchParser(entry: URL = ENTRY): EventBatchParser | null {
  if (entry.protocol !== 'file:' || !existsSync(fileURLToPath(entry))) return null;
  const waiting = new Map<number, (c: EventBatchColumns | null) => void>();
  let next = 0;
  let gone = false;
  let worker: Worker | null = null;
  const drop = () => {
    gone = true;
    for (const resolve of waiting.values()) resolve(null);
    waiting.clear();
  };
  // Started by the first list that comes: a server (or a test's) that never gets one, and every
  // restart, boots no thread.
  const thread = () => {
    if (worker) return worker;
    const w = new Worker(entry, { name: 'rekindle-event-parser' });
    w.on('message', (m: FromEventBatchParser) => {
      const resolve = waiting.get(m.id);
      waiting.delete(m.id);
      if (waiting.size === 0) w.unref();
      resolve?.(m.columns);
    });
    w.on('error', drop);
    w.on('exit', drop);
    // Idle, never what keeps the process alive: a server that stops stops it (parse refs it while
    // a body waits for its answer). After the listeners: a 'message' listener refs the worker's
    // port again, and an idle thread kept a stopped process alive.
    w.unref();
    worker = w;
    return w;
  };
  return {
    parse(bytes, timezone, max) {
      if (gone) return Promise.resolve(null);
      const id = next++;
      return new Promise((resolve) => {
        waiting.set(id, resolve);
        if (waiting.size === 1) thread().ref();
        // Copied, not transferred: the caller keeps its bytes for the in-process way (a memcpy, ~0.1 µs an event).
        // A view of a larger (pooled) buffer would be copied whole: its bytes only.
        const own = bytes.byteLength === bytes.buffer.byteLength ? bytes : Uint8Array.prototype.slice.call(bytes);
        thread().postMessage({ id, bytes: own, timezone, max } satisfies ToEventBatchParser);
      });
    },
    async close() {
      const w = worker;
      gone = true;
      if (w) await w.terminate();
    },
  };
}
