import { isAscii } from 'node:buffer';

/**
 * A JSON list in ASCII bytes parsed in pieces of at most PIECE_BYTES, each its own string, instead
 * of as one string: V8 puts a string over 128 KB (a batch of 1,000 events is ~180 KB) in its large
 * object space, which maps fresh pages for each one and gives them back after the next GC — on this
 * machine ~1.2 ms of CPU a body (half of it in the kernel), more than JSON.parse of the body itself
 * and a fifth of the event batch parser thread. Strings of a few dozen KB are ordinary young objects.
 *
 * The pieces are cut after a `},` (the end of an item that is an object, followed by the list's
 * comma) found at or after every PIECE_BYTES: `[` + the items before + `]`, and so on. To land
 * between items rather than after an object nested in one, the cut is looked for followed by the
 * way the list's first item begins (`},{"type":` when the first item is `{"type":…`). A cut that
 * is not between two items of the list — the `},` inside a string, or inside an array nested in an
 * item — leaves a piece that is not JSON (a string or a bracket left open at its end, which the one
 * `]` added cannot close), so JSON.parse refuses it and the caller parses the whole text as before.
 * When every piece parses, the list is exactly their items in order: the body was that list.
 *
 * undefined whenever this cannot tell: not ASCII (multi-byte text and a byte order mark go the
 * whole way), not starting with `[`, a piece that is not JSON, not a list, or (after the first) an
 * empty list: `[{…},]` is not JSON, though `[{…}]` and `[]` are.
 */
export const PIECE_BYTES = 48 * 1024;
/** `},` followed by the first item's opening up to its first key's colon (`{"type":`), when the list is written compactly; else `},`. */
function cutPattern(bytes: Buffer, first: number): Buffer {
  const colon = bytes.indexOf(0x3a, first);
  const head = bytes[first] === 0x7b && bytes[first + 1] === 0x22 && colon > first && colon - first <= 64 ? bytes.subarray(first, colon + 1) : null;
  return head && head.indexOf(0x7d) < 0 ? Buffer.concat([Buffer.from('},'), head]) : Buffer.from('},');
}

export function parseJsonListInPieces(bytes: Buffer, pieceBytes = PIECE_BYTES): unknown[] | undefined {
  let at = 0;
  while (at < bytes.length && (bytes[at] === 0x20 || bytes[at] === 0x09 || bytes[at] === 0x0a || bytes[at] === 0x0d)) at++;
  if (bytes[at] !== 0x5b || !isAscii(bytes)) return undefined;
  const items: unknown[] = [];
  // Each piece's text runs from `start` (just after `[` or after a cut's comma) to its cut's `}`.
  let start = at + 1;
  const pattern = start + pieceBytes < bytes.length ? cutPattern(bytes, start) : null;
  try {
    for (;;) {
      const cut = pattern && start + pieceBytes < bytes.length ? bytes.indexOf(pattern, start + pieceBytes) : -1;
      const last = cut < 0;
      const text = bytes.toString('latin1', start, last ? bytes.length : cut + 1);
      const piece: unknown = JSON.parse(last ? '[' + text : '[' + text + ']');
      if (!Array.isArray(piece) || (piece.length === 0 && items.length > 0)) return undefined;
      for (let i = 0; i < piece.length; i++) items.push(piece[i]);
      if (last) return items;
      start = cut + 2;
    }
  } catch {
    return undefined;
  }
}
