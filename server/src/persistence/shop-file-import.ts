import type { DataSource } from 'typeorm';
import type { Clock } from '../core/clock.js';
import { CdnowFormatError, parseCdnow } from '../core/data/cdnow.js';
import { refusedRows, type ImportReport, type RowError } from '../core/data/import/report.js';
import { decodeTaobao, parseTaobaoExport, TaobaoFormatError } from '../core/data/import/taobao.js';
import { taobaoImportRows } from '../core/data/import/taobao-rows.js';
import { cdnowColumnOf, cdnowImportRows } from '../core/data/import/cdnow-rows.js';
import type { CustomerEventListener } from '../core/data/event-listener.js';
import { importRows } from './importer.js';

export class ShopFileError extends Error {}

export interface ShopFileImport {
  encoding?: string;
  customers: ImportReport;
  orders: ImportReport;
  /** Issues of the rows refused before the import: by the mapping, or as the orders import would (line of the original file). */
  errors: RowError[];
  /**
   * Rows of the file not imported, each once: the lines of these errors and of the two reports'.
   * Not their count: a row may have several (created and paid in 2099), and "6 row(s) refused"
   * was said of 5 rows.
   */
  refused: number;
}

interface Options {
  file: string;
  timezone: string;
  clock: Clock;
  listeners?: readonly CustomerEventListener[];
}

/** Runs customers then orders through the one importer (same validation, idempotency, facts, events). */
async function importBoth(ds: DataSource, o: Options, customers: { line: number; customer: Record<string, unknown> }[], orders: { line: number; order: Record<string, unknown> }[], errors: RowError[]): Promise<Omit<ShopFileImport, 'encoding'>> {
  const ndjson = (rows: unknown[]) => [Buffer.from(rows.map((r) => JSON.stringify(r)).join('\n') + '\n')];
  const c = await importRows(ds, { kind: 'customers', format: 'ndjson', source: ndjson(customers.map((x) => x.customer)), file: o.file, timezone: o.timezone, clock: o.clock, listeners: o.listeners });
  const r = await importRows(ds, { kind: 'orders', format: 'ndjson', source: ndjson(orders.map((x) => x.order)), file: o.file, timezone: o.timezone, clock: o.clock, listeners: o.listeners });
  // Errors name the line of the original file: a customer's error the line their profile was taken
  // from (it named the customer's place in the list of buyers, a line of nothing in the file).
  c.errors = c.errors.map((e) => ({ ...e, line: customers[e.line - 1]?.line ?? e.line }));
  r.errors = r.errors.map((e) => ({ ...e, line: orders[e.line - 1]?.line ?? e.line }));
  // A buyer refused (erased) takes the order of their line with them: the line says it once, by the buyer.
  const buyerRefused = new Set(c.errors.map((e) => e.line));
  r.errors = r.errors.filter((e) => !(e.field === 'customerExternalId' && buyerRefused.has(e.line)));
  return { customers: c, orders: r, errors, refused: refusedRows([...errors, ...c.errors, ...r.errors]) };
}

/**
 * A Taobao/Tmall seller-center order export (GBK/GB18030 or UTF-8, detected): one customer per
 * 买家会员名 (the last row's address wins), one order per 订单编号 (core/data/import/taobao.ts).
 */
export async function importTaobaoExport(ds: DataSource, bytes: Buffer, o: Options): Promise<ShopFileImport> {
  const { text, encoding } = decodeTaobao(bytes);
  let parsed;
  try {
    parsed = await parseTaobaoExport(text, o.timezone);
  } catch (e) {
    if (e instanceof TaobaoFormatError) throw new ShopFileError(`${o.file}: ${e.message}`);
    throw e;
  }
  // Rows the orders import would refuse are refused here, before their buyers are written (taobao-rows.ts).
  const { customers, orders, errors } = taobaoImportRows(parsed.rows, o.timezone, o.clock.now());
  return { encoding, ...(await importBoth(ds, o, customers, orders, errors)) };
}

/** The CDNOW sample (5 columns) or master file (4 columns): customers by id, one completed order per line. */
export async function importCdnowFile(ds: DataSource, text: string, o: Options): Promise<ShopFileImport> {
  let rows;
  try {
    rows = parseCdnow(text);
  } catch (e) {
    if (e instanceof CdnowFormatError) throw new ShopFileError(e.at(o.file));
    throw e;
  }
  // Lines the orders import would refuse are refused here, before their customers are written (cdnow-rows.ts).
  const { customers, orders, errors } = cdnowImportRows(rows, o.timezone, o.clock.now());
  const r = await importBoth(ds, o, customers, orders, errors);
  // What the importer itself refuses (a customer erased meanwhile…) is said in the file's columns too.
  const columns = (report: ImportReport) => ({ ...report, errors: report.errors.map((e) => ({ ...e, field: cdnowColumnOf(e.field) })) });
  return { ...r, customers: columns(r.customers), orders: columns(r.orders) };
}

