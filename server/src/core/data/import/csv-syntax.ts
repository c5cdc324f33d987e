import { CsvError } from 'csv-parse';
import { csvRecordBlocks } from './csv-records.js';

/**
 * Reads a whole CSV once without storing anything, so a file that cannot be parsed (an unclosed
 * quote on line 1,502) is refused before its first 1,000 rows are committed. Returns the place
 * and reason, or null when the file parses.
 */
export async function csvSyntaxError(source: Iterable<string | Buffer> | AsyncIterable<string | Buffer>): Promise<{ line: number; message: string } | null> {
  // The import's own reader (csv-records.ts): csv-parse's verdict, line and message, without its
  // byte-by-byte machine over the lines that have no quotes.
  try {
    for await (const _records of csvRecordBlocks(source)) void _records;
    return null;
  } catch (e) {
    if (e instanceof CsvError) {
      const line = (e as CsvError & { lines?: number }).lines ?? 0;
      const reason = e.code === 'CSV_QUOTE_NOT_CLOSED' ? 'the file ends inside a quoted field (a " opened on an earlier line is never closed)' : e.message.replace(/^Invalid [^:]*:\s*/, '');
      return { line, message: reason };
    }
    throw e;
  }
}
