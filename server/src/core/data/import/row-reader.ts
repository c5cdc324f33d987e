import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';

/**
 * Streaming row readers for import files. They pull the source chunk by chunk and yield one row
 * at a time, so a million-row file never sits in memory: the importer batches what it pulls.
 */
export type ImportFormat = 'csv' | 'ndjson';
export const IMPORT_FORMATS: readonly ImportFormat[] = ['csv', 'ndjson'];

/** A row as read: its 1-based line in the file, and either the raw record or why it is unreadable. */
export type RawRow = { line: number; record: Record<string, unknown>; error?: undefined } | { line: number; record?: undefined; error: string };

export type ByteSource = AsyncIterable<Buffer | string> | Iterable<Buffer | string>;

export interface ReadOptions {
  /** Called with the running count of bytes pulled from the source (progress by bytes read). */
  onBytes?: (bytesRead: number) => void;
  /** CSV only: receives the header once it is read. */
  onHeader?: (columns: string[]) => void;
}

/** Guesses the format from a file name (`.csv`, `.ndjson`/`.jsonl`); undefined when unknown. */
export function formatFromFileName(name: string): ImportFormat | undefined {
  if (/\.csv$/i.test(name)) return 'csv';
  if (/\.(ndjson|jsonl)$/i.test(name)) return 'ndjson';
  return undefined;
}

async function* countingBytes(source: ByteSource, onBytes?: (n: number) => void): AsyncGenerator<Buffer | string> {
  let total = 0;
  for await (const chunk of source) {
    total += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    onBytes?.(total);
    yield chunk;
  }
}

export function readRows(source: ByteSource, format: ImportFormat, opts: ReadOptions = {}): AsyncGenerator<RawRow> {
  return format === 'csv' ? readCsvRows(source, opts) : readNdjsonRows(source, opts);
}

/**
 * CSV with a header line. Records are read as arrays so a row with the wrong number of fields
 * is reported (with its line) instead of silently shifting values into the wrong columns.
 */
export async function* readCsvRows(source: ByteSource, opts: ReadOptions = {}): AsyncGenerator<RawRow> {
  for await (const block of readCsvRowBlocks(source, opts)) yield* block;
}

/**
 * readCsvRows in blocks: every record the parser has ready is taken synchronously, so a bulk
 * import awaits once per block of rows instead of once per row through two async iterators (the
 * per-row promises and their garbage were a visible share of the parser thread's time).
 */
export async function* readCsvRowBlocks(source: ByteSource, opts: ReadOptions = {}): AsyncGenerator<RawRow[]> {
  const parser = Readable.from(countingBytes(source, opts.onBytes)).pipe(
    parse({ bom: true, info: true, skip_empty_lines: true, relax_column_count: true, trim: false }),
  );
  let ended = false;
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const poke = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  parser.on('readable', poke);
  parser.on('end', () => {
    ended = true;
    poke();
  });
  parser.on('error', (e: Error) => {
    failure = e;
    poke();
  });
  let header: string[] | undefined;
  try {
    for (;;) {
      const block: RawRow[] = [];
      let item: { record: string[]; info: { lines: number } } | null;
      while ((item = parser.read() as typeof item) !== null) {
        const { record, info } = item;
        if (!header) {
          header = record.map((h) => h.trim());
          opts.onHeader?.(header);
          continue;
        }
        const line = info.lines;
        if (record.length !== header.length) {
          block.push({ line, error: `expected ${header.length} fields as in the header, found ${record.length}` });
          continue;
        }
        const obj: Record<string, unknown> = {};
        for (let i = 0; i < header.length; i++) obj[header[i]] = record[i];
        block.push({ line, record: obj });
      }
      if (block.length > 0) {
        yield block;
        continue;
      }
      if (failure) throw failure;
      if (ended) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    if (!ended) parser.destroy();
  }
}

/** Rows in blocks (CSV: as the parser has them ready; NDJSON: up to 1,000 at a time). */
export async function* readRowBlocks(source: ByteSource, format: ImportFormat, opts: ReadOptions = {}): AsyncGenerator<RawRow[]> {
  if (format === 'csv') {
    yield* readCsvRowBlocks(source, opts);
    return;
  }
  let block: RawRow[] = [];
  for await (const row of readNdjsonRows(source, opts)) {
    block.push(row);
    if (block.length >= 1000) {
      yield block;
      block = [];
    }
  }
  if (block.length > 0) yield block;
}

/** One JSON object per line; blank lines are skipped but still counted for line numbers. */
export async function* readNdjsonRows(source: ByteSource, opts: ReadOptions = {}): AsyncGenerator<RawRow> {
  const lines = createInterface({ input: Readable.from(countingBytes(source, opts.onBytes)), crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) {
    line++;
    const trimmed = (line === 1 ? text.replace(/^\uFEFF/, '') : text).trim();
    if (trimmed === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (e) {
      yield { line, error: `not valid JSON: ${(e as Error).message}` };
      continue;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      yield { line, error: 'expected one JSON object on the line' };
      continue;
    }
    yield { line, record: value as Record<string, unknown> };
  }
}
