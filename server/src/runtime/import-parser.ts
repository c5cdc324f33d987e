import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ParsedRow, ParseOptions, RowParser } from '../core/data/import/parsed-rows.js';
import type { ByteSource } from '../core/data/import/row-reader.js';
import { decodeBlock } from './import-parse-thread-wire.js';
import type { FromImportParser, ImportParseThreadData, ToImportParser } from './import-parse-thread.js';

const ENTRY = new URL('./import-parse-thread.js', import.meta.url);

/**
 * Files smaller than this are parsed in the importing thread: starting the parser thread (its own
 * module loading: zod, csv-parse, the row mappers) costs ~0.3 s of CPU and of wall time, more
 * than parsing a megabyte takes, and most files a person imports by hand (a day's orders, a
 * correction) are far smaller.
 */
export const PARSER_THREAD_MIN_BYTES = 1 << 20;

/** Text sent to the parser thread and not yet taken by it, at most (then reading the source waits). */
const INPUT_WINDOW = 8 << 20;

/**
 * A RowParser that parses and validates in a thread of its own (import-parse-thread.ts) while
 * the importer writes: CSV parsing and zod were about a third of a bulk import's CPU, spent on the
 * thread that holds SQLite's write lock. Rows, lines and messages are the same as in-process
 * (the thread runs core/data/import/parsed-rows.ts). `window` bounds the validated rows waiting
 * for the importer (one batch: the next batch is parsed while the current one is written).
 * null when the compiled thread entry is missing (tests running from the TypeScript sources):
 * the importer then parses in-process.
 */
export function threadRowParser(window: number, entry: URL = ENTRY): RowParser | null {
  if (entry.protocol !== 'file:' || !existsSync(fileURLToPath(entry))) return null;
  return (kind, format, source, opts) => parseInThread(entry, { kind, format, timezone: opts.timezone, now: opts.now, window: Math.max(window, 1), stageOrders: opts.stageOrders === true, stageFiles: opts.stageOrders === true ? opts.stageFiles : undefined }, source, opts);
}

async function* parseInThread(entry: URL, data: ImportParseThreadData, source: ByteSource, opts: ParseOptions): AsyncGenerator<ParsedRow[]> {
  const worker = new Worker(entry, { workerData: data, name: 'rekindle-import-parser' });
  const post = (m: ToImportParser) => worker.postMessage(m);
  const blocks: ParsedRow[][] = [];
  let done = false;
  let failure: Error | null = null;
  let stopped = false;
  let wake: (() => void) | null = null;
  let wakePump: (() => void) | null = null;
  let inFlight = 0;
  const fail = (e: Error) => {
    failure ??= e;
    wake?.();
  };
  worker.on('message', (m: FromImportParser) => {
    switch (m.type) {
      case 'header':
        opts.onHeader?.(m.columns);
        return;
      case 'took':
        inFlight -= m.size;
        wakePump?.();
        return;
      case 'rows':
        blocks.push(decodeBlock(m.block));
        break;
      case 'done':
        done = true;
        break;
      case 'error': {
        // The parser's own error (an unreadable CSV), as the in-process parser would throw it.
        const e = new Error(m.message);
        e.name = m.name;
        if (m.code !== undefined) (e as Error & { code?: string }).code = m.code;
        fail(e);
        return;
      }
    }
    wake?.();
  });
  worker.on('error', (e) => fail(e));
  worker.on('exit', (code) => {
    if (!done) fail(new Error(`the import parser thread stopped (exit code ${code})`));
  });

  // Reads the source on this thread (its stream, its decoder, the progress callback) and sends
  // the text on, at most INPUT_WINDOW ahead of what the parser has taken.
  const pump = async () => {
    let bytes = 0;
    for await (const chunk of source) {
      if (stopped) break;
      const size = typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
      bytes += size;
      opts.onBytes?.(bytes);
      inFlight += size;
      // A Buffer that is a view of a larger (pooled) one would be copied whole: send its bytes only.
      post({ type: 'bytes', chunk: typeof chunk === 'string' || chunk.byteLength === chunk.buffer.byteLength ? chunk : Uint8Array.prototype.slice.call(chunk), size });
      while (inFlight > INPUT_WINDOW && !stopped) {
        await new Promise<void>((resolve) => (wakePump = resolve));
        wakePump = null;
      }
      if (stopped) break;
    }
    if (!stopped) post({ type: 'end' });
  };
  pump().catch((e) => fail(e instanceof Error ? e : new Error(String(e))));

  try {
    for (;;) {
      const block = blocks.shift();
      if (block) {
        post({ type: 'taken', rows: block.length });
        yield block;
        continue;
      }
      if (failure) throw failure;
      if (done) return;
      await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
    }
  } finally {
    stopped = true;
    (wakePump as (() => void) | null)?.();
    await worker.terminate();
  }
}
