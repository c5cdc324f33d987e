import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { csvRecordBlocks } from './csv-records.js';

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
  /** CSV only: the names the header's columns are read by (an Excel export's labels as the import's names: excel-view.ts). */
  renameHeader?: (columns: string[]) => string[];
}

/** Guesses the format from a file name (`.csv`, `.ndjson`/`.jsonl`); undefined when unknown. */
export function formatFromFileName(name: string): ImportFormat | undefined {
  if (/\.csv$/i.test(name)) return 'csv';
  if (/\.(ndjson|jsonl)$/i.test(name)) return 'ndjson';
  return undefined;
}

export async function* countingBytes(source: ByteSource, onBytes?: (n: number) => void): AsyncGenerator<Buffer | string> {
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
  let header: string[] | undefined;
  for await (const records of csvRecordBlocks(countingBytes(source, opts.onBytes))) {
    const block: RawRow[] = [];
    for (const { line, fields } of records) {
      if (!header) {
        header = fields.map((h) => h.trim());
        if (opts.renameHeader) header = opts.renameHeader(header);
        opts.onHeader?.(header);
        continue;
      }
      if (fields.length !== header.length) {
        block.push({ line, error: fieldCountError(header, fields.length) });
        continue;
      }
      const obj: Record<string, unknown> = {};
      for (let i = 0; i < header.length; i++) obj[header[i]] = fields[i];
      block.push({ line, record: obj });
    }
    if (block.length > 0) yield block;
  }
}

/**
 * A CSV row's message when its number of values is not the header's: how many each way, and what
 * that most likely means — the header's last columns without a value (a row cut short), or values
 * beyond the header (a value holding a comma without double quotes, which shifts every later one).
 */
export function fieldCountError(header: readonly string[], found: number): string {
  const expected = header.length;
  const head = `wrong number of columns: expected ${expected} as in the header, got ${found}`;
  if (found < expected) {
    const missing = header.slice(found);
    const names = missing.length > 4 ? `${missing.slice(0, 4).join(', ')} and ${missing.length - 4} more` : missing.join(', ');
    return `${head} (no value for ${names})`;
  }
  return `${head} (${found - expected} more than the header has: a value with a comma must be in double quotes)`;
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
      yield { line, error: `the line is not valid JSON: ${(e as Error).message}` };
      continue;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      yield { line, error: `expected one JSON object on the line, got ${Array.isArray(value) ? 'a list' : value === null ? 'null' : `a ${typeof value}`}` };
      continue;
    }
    yield { line, record: value as Record<string, unknown> };
  }
}
