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
import type { StageFiles } from '../core/data/import/stage-file.js';
import type { OrderInput } from '../core/data/model.js';
import { StageFileWriter } from './import-stage-writer.js';

export interface ImportParseThreadData {
  kind: ImportKind;
  format: ImportFormat;
  /** The shop's time zone (ParseOptions.timezone). */
  timezone: string;
  /** The import's clock when it began (ParseOptions.now). */
  now?: number;
  /** Rows handed over and not yet taken by the importer, at most (then this thread waits). */
  window: number;
  /** ParseOptions.stageOrders */
  stageOrders: boolean;
  /** ParseOptions.stageFiles (with stageOrders): staged values written to files here. */
  stageFiles?: StageFiles;
}

export type ToImportParser = { type: 'bytes'; chunk: string | Uint8Array; size: number } | { type: 'end' } | { type: 'taken'; rows: number };
export type FromImportParser =
  | { type: 'header'; columns: string[] }
  | { type: 'took'; size: number }
  | { type: 'rows'; block: WireBlock }
  | { type: 'done' }
  | { type: 'error'; name: string; message: string; code?: string };

const { kind, format, timezone, now, window, stageOrders, stageFiles } = workerData as ImportParseThreadData;

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
    const writer = stageOrders && stageFiles ? new StageFileWriter(stageFiles) : null;
    for await (const block of parseRows(kind, format, input(), { timezone, now, stageOrders, onHeader: (columns) => send({ type: 'header', columns }) })) {
      // Each valid row's staged values into its batch's file; a file that fills is closed here,
      // before the block with its last row is sent.
      if (writer) for (const row of block) if (row.staged) row.stagedIn = writer.add(row.input as OrderInput, row.staged);
      // Staged orders cross with their items as text only (import-parse-thread-wire.ts).
      send({ type: 'rows', block: encodeBlock(block, stageOrders) });
      outstanding += block.length;
      while (outstanding >= window) {
        await new Promise<void>((resolve) => (wakeOutput = resolve));
        wakeOutput = null;
      }
    }
    writer?.close();
    send({ type: 'done' });
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    send({ type: 'error', name: err.name, message: err.message, code: (err as { code?: unknown }).code === undefined ? undefined : String((err as { code?: unknown }).code) });
  }
}

void run();
