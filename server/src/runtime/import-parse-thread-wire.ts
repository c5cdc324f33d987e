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
 */
export type WireBlock = ParsedRow[];

/** A staged order's row without its items objects: written out, not rest-spread (a generic copy per row). */
function withoutItems(r: ParsedRow): ParsedRow {
  if (!r.staged) return r;
  const o = r.input as OrderInput;
  const input = { externalId: o.externalId, customerExternalId: o.customerExternalId, status: o.status, amount: o.amount, createdAt: o.createdAt, paidAt: o.paidAt, promotion: o.promotion, coupon: o.coupon };
  // Staged into a file (import-stage-writer.ts): the staged values stay there.
  if (r.stagedIn !== undefined) return { line: r.line, input: input as OrderInput, stagedIn: r.stagedIn };
  return { line: r.line, input: input as OrderInput, staged: r.staged };
}

/** The block as the parser thread posts it. */
export function encodeBlock(block: ParsedRow[], staged: boolean): WireBlock {
  return staged ? block.map(withoutItems) : block;
}

/** The block as the importing thread uses it. */
export function decodeBlock(wire: WireBlock): ParsedRow[] {
  return wire;
}
