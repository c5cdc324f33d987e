import { Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';

/**
 * Reads a whole CSV once without storing anything, so a file that cannot be parsed (an unclosed
 * quote on line 1,502) is refused before its first 1,000 rows are committed. Returns the place
 * and reason, or null when the file parses.
 */
export async function csvSyntaxError(source: Iterable<string | Buffer> | AsyncIterable<string | Buffer>): Promise<{ line: number; message: string } | null> {
  const parser = Readable.from(source).pipe(parse({ bom: true, skip_empty_lines: true, relax_column_count: true, trim: false }));
  try {
    for await (const _record of parser) void _record;
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
