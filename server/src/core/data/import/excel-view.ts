import { CUSTOMER_EXCEL } from '../../text/customer-excel-columns.js';

/**
 * The customers export's Excel variant read back by `import customers` (the CLI and the import
 * API). An operator downloads 顾客.csv for Excel, edits a few tags or consents and imports it again;
 * it was refused as having no `externalId` column, and a file whose headers were put back by hand
 * stored its phone numbers as the text guard `="13800138000"`. Its Chinese headers are read as the
 * plain export's names (the fact columns, 订单数 …, are read-only and ignored as in the plain
 * file), and a ="…" cell as the text it guards (its 手机/电脑 and 是/否 the mapper reads anyway).
 * The formula guard of both exports (a ' before = + - @) is taken off too.
 */
const BY_LABEL = new Map(Object.entries(CUSTOMER_EXCEL).map(([name, c]) => [c.label, name]));

/** A header cell that is one of the Excel variant's labels, as the plain export's column name. */
export function customerColumnOfHeader(header: readonly string[]): string[] {
  return header.map((h) => BY_LABEL.get(h) ?? h);
}

/**
 * Excel's text guard inside a quoted CSV field (`"=""13800138000"""` reads `="13800138000"`): the
 * text it keeps, `""` inside it a quote. The unquoted guard never gets here (csv-records.ts).
 */
export function withoutQuotedTextGuard(v: string): string {
  const m = /^="((?:[^"]|"")*)"$/s.exec(v);
  return m ? m[1].replace(/""/g, '"') : v;
}

/**
 * The ' the exports put before text starting with = + - @ (csv-cell.ts, csv-stringify's
 * escape_formulas) so a spreadsheet never runs it: taken off again, so a name `=Li` exported as
 * `'=Li` is imported as `=Li`, not with a quote it never had.
 */
export function withoutFormulaGuard(v: string): string {
  return /^'[=+\-@\t\r]/.test(v) ? v.slice(1) : v;
}

/** A text cell of a customers export as the customer's data: without the export's guards. */
export function exportedText(v: string): string {
  return withoutFormulaGuard(withoutQuotedTextGuard(v));
}
