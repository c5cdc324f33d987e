import type { ParsedRow } from '../core/data/import/parsed-rows.js';
import type { OrderInput } from '../core/data/model.js';

/**
 * How a block of parsed rows crosses from the import's parser thread to the importing thread
 * (import-parse-thread.ts → import-parser.ts): as the row objects themselves, by structured clone,
 * a staged order with its items as their text only (`staged[0]`; the importer parses them back for
 * the few rows that go the row-by-row way).
 *
 * Measured and kept as objects (bench/README.md, seventeenth wave): V8's clone reads objects of
 * one shape fast (0.9 µs a row to post, 1.0 to receive); the same values packed — ten texts
 * NUL-joined into one string a block plus a Float64Array — cost 1.9 to post and 1.4 to receive and
 * rebuild, and one flat array of primitives ~4 µs a row to receive.
 * A row staged into a file (the bulk of an orders import on SQLite) crosses as its line and file
 * number only, in an Int32Array: its values are all in the file (no object cloned on either thread).
 */
export interface WireBlock {
  /** The rows that cross as objects, in file order: refused rows, and valid rows not staged into a file. */
  rows: ParsedRow[];
  /**
   * Every row of the block in file order, as pairs (line, file): `file` ≥ 0 is a valid order staged
   * into that staged-orders file (import-stage-writer.ts), which holds all the importer needs of it
   * (its values for the set-based write, its input for the row-by-row path: order-chunk-sqlite.ts),
   * so only its line crosses; −1 is the next of `rows`. Null when no row of the block was staged into a file.
   */
  order: Int32Array | null;
}

/** A staged order's row without its items objects: written out, not rest-spread (a generic copy per row). */
function withoutItems(r: ParsedRow): ParsedRow {
  if (!r.staged) return r;
  const o = r.input as OrderInput;
  const input = { externalId: o.externalId, customerExternalId: o.customerExternalId, status: o.status, amount: o.amount, createdAt: o.createdAt, paidAt: o.paidAt, promotion: o.promotion, coupon: o.coupon };
  return { line: r.line, input: input as OrderInput, staged: r.staged };
}

/** The block as the parser thread posts it. */
export function encodeBlock(block: ParsedRow[], staged: boolean): WireBlock {
  if (!staged) return { rows: block, order: null };
  let inFiles = 0;
  for (const r of block) if (r.stagedIn !== undefined) inFiles++;
  if (inFiles === 0) return { rows: block.map(withoutItems), order: null };
  const rows: ParsedRow[] = [];
  const order = new Int32Array(block.length * 2);
  for (let i = 0; i < block.length; i++) {
    const r = block[i];
    order[2 * i] = r.line;
    if (r.stagedIn !== undefined) order[2 * i + 1] = r.stagedIn;
    else {
      order[2 * i + 1] = -1;
      rows.push(withoutItems(r));
    }
  }
  return { rows, order };
}

/** The block as the importing thread uses it. */
export function decodeBlock(wire: WireBlock): ParsedRow[] {
  const { rows, order } = wire;
  if (order === null) return rows;
  const block: ParsedRow[] = new Array<ParsedRow>(order.length / 2);
  let next = 0;
  for (let i = 0; i < block.length; i++) {
    const file = order[2 * i + 1];
    block[i] = file < 0 ? rows[next++] : { line: order[2 * i], stagedIn: file };
  }
  return block;
}
