import type { CsvError } from 'csv-parse';

/**
 * What is wrong at a place csv-parse refuses, in the import's words. csv-parse's own message
 * counts fields from 0 ("a quote is found on field 5 at line 4, value is "2026-10-01 10:01\n"")
 * and a user reads "field 5" as the fifth column; the usual causes get a hint: a stray " inside a
 * value not in quotes, and a file whose lines end in CRLF with some in LF alone (rows appended by
 * another editor), where the LF line runs on into the next one.
 */
export function csvErrorWords(e: CsvError): string {
  if (e.code === 'CSV_QUOTE_NOT_CLOSED') return 'the file ends inside a quoted field (a " opened on an earlier line is never closed)';
  const col = (e as CsvError & { column?: unknown }).column;
  if (e.code === 'INVALID_OPENING_QUOTE' && typeof col === 'number') {
    const value = String((e as CsvError & { field?: unknown }).field ?? '');
    const column = `column ${col + 1}`;
    // The LF line ran on into this one: its column is the last of the line before, so none is said.
    if (value.includes('\n')) return `a " opens a value, but the line before ends in LF alone while the file's lines end in CRLF (\\r\\n): the file mixes line ends (rows added by another editor?); save it again with one kind`;
    return `${column}: a " inside a value that is not in quotes ("${value.length > 40 ? `${value.slice(0, 40)}…` : value}"): put the whole value in double quotes and double each " inside it ("a ""b"" c")`;
  }
  return e.message.replace(/^Invalid [^:]*:\s*/, '');
}
