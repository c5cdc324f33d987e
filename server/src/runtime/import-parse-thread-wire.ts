import type { ParsedRow } from '../core/data/import/parsed-rows.js';

/**
 * How a block of parsed rows crosses from the import's parser thread to the importing thread.
 */
export type WireBlock = ParsedRow[];

function withoutItems(r: ParsedRow): ParsedRow {
  if (!r.staged) return r;
  const { items: _items, ...input } = r.input as { items?: unknown };
  return { line: r.line, input: input as ParsedRow['input'], staged: r.staged } as ParsedRow;
}

/** The block as the parser thread posts it. */
export function encodeBlock(block: ParsedRow[], staged: boolean): WireBlock {
  return staged ? block.map(withoutItems) : block;
}

/** The block as the importing thread uses it. */
export function decodeBlock(wire: WireBlock): ParsedRow[] {
  return wire;
}
