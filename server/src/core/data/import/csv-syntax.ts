import { CsvError } from 'csv-parse';
import { csvErrorWords } from './csv-error-words.js';
import { csvRecordBlocks } from './csv-records.js';

/**
 * Reads a whole CSV once without storing anything, so a file that cannot be parsed (an unclosed
 * quote on line 1,502) is refused before its first 1,000 rows are committed. Returns the place
 * and reason, or null when the file parses.
 */
export async function csvSyntaxError(source: Iterable<string | Buffer> | AsyncIterable<string | Buffer>): Promise<{ line: number; message: string } | null> {
  return (await csvSyntaxCheck(source)).error;
}

/**
 * csvSyntaxError, and the number of rows under the header (every record the importer counts in
 * its report's `rows`, refused ones included): the CLI's progress bar measures the import in
 * rows of this total, counted by the pass that runs anyway.
 */
export async function csvSyntaxCheck(source: Iterable<string | Buffer> | AsyncIterable<string | Buffer>): Promise<{ error: { line: number; message: string } | null; rows: number }> {
  // The import's own reader (csv-records.ts): csv-parse's verdict, line and message, without its
  // byte-by-byte machine over the lines that have no quotes.
  let records = 0;
  try {
    for await (const block of csvRecordBlocks(source)) records += block.length;
    return { error: null, rows: Math.max(0, records - 1) };
  } catch (e) {
    if (e instanceof CsvError) {
      const line = (e as CsvError & { lines?: number }).lines ?? 0;
      const reason = csvErrorWords(e);
      return { error: { line, message: reason }, rows: Math.max(0, records - 1) };
    }
    throw e;
  }
}
