/**
 * Entry point of an import's parser thread (started by import-parser.ts): CSV/NDJSON parsing,
 * mapping and zod validation of every row (core/data/import/parsed-rows.ts), so the importer's
 * thread only writes. The bytes come from the importer's thread as it reads its source (a file,
 * an upload); validated rows go back in blocks. Both directions are windowed, so memory holds
 * about one batch of rows and a few MB of text whatever the size of the file.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { parseRows } from '../core/data/import/parsed-rows.js';
import type { ImportKind } from '../core/data/import/row-mapper.js';
import type { ImportFormat } from '../core/data/import/row-reader.js';
import { encodeBlock, type WireBlock } from './import-parse-thread-wire.js';

export interface ImportParseThreadData {
  kind: ImportKind;
  format: ImportFormat;
  /** The shop's time zone (ParseOptions.timezone). */
  timezone: string;
  /** Rows handed over and not yet taken by the importer, at most (then this thread waits). */
  window: number;
  /** ParseOptions.stageOrders */
  stageOrders: boolean;
}

export type ToImportParser = { type: 'bytes'; chunk: string | Uint8Array; size: number } | { type: 'end' } | { type: 'taken'; rows: number };
export type FromImportParser =
  | { type: 'header'; columns: string[] }
  | { type: 'took'; size: number }
  | { type: 'rows'; block: WireBlock }
  | { type: 'done' }
  | { type: 'error'; name: string; message: string; code?: string };

const { kind, format, timezone, window, stageOrders } = workerData as ImportParseThreadData;

const port = parentPort!;
const send = (m: FromImportParser) => port.postMessage(m);

const chunks: { chunk: string | Buffer; size: number }[] = [];
let ended = false;
let outstanding = 0;
let wakeInput: (() => void) | null = null;
let wakeOutput: (() => void) | null = null;

port.on('message', (m: ToImportParser) => {
  if (m.type === 'bytes') {
    // A Buffer arrives as a plain Uint8Array: view it as a Buffer again (no copy).
    chunks.push({ chunk: typeof m.chunk === 'string' ? m.chunk : Buffer.from(m.chunk.buffer, m.chunk.byteOffset, m.chunk.byteLength), size: m.size });
    wakeInput?.();
  } else if (m.type === 'end') {
    ended = true;
    wakeInput?.();
  } else {
    outstanding -= m.rows;
    wakeOutput?.();
  }
});

/** The source as the importer's thread sends it; each chunk taken is reported (its input window). */
async function* input(): AsyncGenerator<string | Buffer> {
  for (;;) {
    const c = chunks.shift();
    if (c) {
      send({ type: 'took', size: c.size });
      yield c.chunk;
      continue;
    }
    if (ended) return;
    await new Promise<void>((resolve) => (wakeInput = resolve));
    wakeInput = null;
  }
}

async function run(): Promise<void> {
  try {
    for await (const block of parseRows(kind, format, input(), { timezone, stageOrders, onHeader: (columns) => send({ type: 'header', columns }) })) {
      // Staged orders cross with their items as text only (import-parse-thread-wire.ts).
      send({ type: 'rows', block: encodeBlock(block, stageOrders) });
      outstanding += block.length;
      while (outstanding >= window) {
        await new Promise<void>((resolve) => (wakeOutput = resolve));
        wakeOutput = null;
      }
    }
    send({ type: 'done' });
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    send({ type: 'error', name: err.name, message: err.message, code: (err as { code?: unknown }).code === undefined ? undefined : String((err as { code?: unknown }).code) });
  }
}

void run();
