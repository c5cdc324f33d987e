import { Transform } from 'node:stream';
import { excelHeader, excelLine, type ExcelColumn } from '../core/text/excel-sheet.js';

/**
 * A streamed export's Excel variant (core/text/excel-sheet.ts): records keyed by `keys` in, the
 * header line (with its byte order mark) and one line a record out, so a large log never sits in memory.
 */
export function excelLines(byKey: Readonly<Record<string, ExcelColumn>>, keys: readonly string[], timezone: string): Transform & { info: { records: number } } {
  const columns = keys.map((k) => byKey[k]);
  let started = false;
  // `info.records` as csv-stringify counts them (data lines, not the header): `export customers --out` says how many it wrote.
  const info = { records: 0 };
  const t = new Transform({
    writableObjectMode: true,
    transform(row: Record<string, unknown>, _enc, cb) {
      const head = started ? '' : excelHeader(columns);
      started = true;
      info.records++;
      cb(null, head + excelLine(columns, keys.map((k) => row[k]), timezone));
    },
    flush(cb) {
      cb(null, started ? '' : excelHeader(columns));
    },
  });
  return Object.assign(t, { info });
}
