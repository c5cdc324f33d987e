import type { RowError } from './report.js';

/**
 * A source file's rows as an importer writes them (taobao-rows.ts, cdnow-rows.ts): its customers,
 * then its orders, and the issues of the rows refused. A row is refused whole, its customer
 * included: the customers are written before the orders (an order needs its customer), so a row
 * whose order would be refused is found first, or it created its customer all the same.
 */
export interface ImportRows {
  customers: { line: number; customer: Record<string, unknown> }[];
  orders: { line: number; order: Record<string, unknown> }[];
  /** Every issue of every refused row (a row may have several), once, naming the file's own columns. */
  errors: RowError[];
}
