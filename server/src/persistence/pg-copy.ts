import type { Client, Connection } from 'pg';

/**
 * Rows for one `COPY table (columns) FROM STDIN` (PostgreSQL's text format): the same rows, in the
 * same columns, as a plain `INSERT … SELECT * FROM unnest(…)` of them (sql-batch.ts, pgUnnestInsert).
 */
export interface PgCopyRows {
  table: string;
  columns: readonly string[];
  rows: readonly (readonly unknown[])[];
}

/**
 * Why COPY: a stepping batch's journey log (3,000 rows) and sends (1,000) inserted through
 * `unnest` cost the PostgreSQL backend ~23 and ~17 ms of CPU a batch; the same rows by COPY
 * ~15 and ~9 (bench/README.md, twentieth wave). COPY inserts a page's worth of rows per heap
 * call and WAL record (heap_multi_insert) instead of one per row, and it parses each value once
 * from its text instead of parsing array parameters and running the unnest through the executor.
 * Index entries are written per row either way; constraints (unique, NOT NULL, varchar lengths)
 * and column defaults apply as they do for INSERT.
 *
 * The text format: columns separated by a tab, rows by a newline, NULL as `\N`; a backslash,
 * newline, carriage return or tab inside a value is escaped (`\\`, `\n`, `\r`, `\t`). Numbers
 * go in as `String(n)`, exactly as pgArrayLiteral writes them for the unnest statement, so the
 * same value reaches the column's input function. Returns null when a value is of another type (a Date, a
 * Buffer, an object): the caller then runs the SQL statement instead.
 */
export function pgCopyText(rows: readonly (readonly unknown[])[], width: number): string | null {
  let s = '';
  for (const row of rows) {
    for (let c = 0; c < width; c++) {
      if (c > 0) s += '\t';
      const v = row[c];
      if (v === null || v === undefined) s += '\\N';
      else if (typeof v === 'string') s += NEEDS_ESCAPE.test(v) ? v.replace(ESCAPED, escapeChar) : v;
      else if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') s += String(v);
      else return null;
    }
    s += '\n';
  }
  return s;
}

const NEEDS_ESCAPE = /[\\\n\r\t]/;
const ESCAPED = /[\\\n\r\t]/g;
const escapeChar = (ch: string) => (ch === '\\' ? '\\\\' : ch === '\n' ? '\\n' : ch === '\r' ? '\\r' : '\\t');

/**
 * Runs `COPY … FROM STDIN` on a node-postgres client (inside the caller's transaction) and
 * resolves with the rows copied; rejects with PostgreSQL's own error (its `code`, `constraint`,
 * `table` and `detail` fields, as for any statement), after which the transaction is aborted as
 * after any failed statement. Null when `pgCopyText` cannot write the rows (nothing was sent).
 * node-postgres has no COPY of its own; this is its `Submittable` interface (as pg-copy-streams
 * uses it), with the whole payload sent at once: a batch's rows are already in memory.
 */
export function pgCopyIn(client: Client, copy: PgCopyRows): Promise<number> | null {
  if (!copyable(copy.rows, copy.columns.length)) return null;
  const q = new CopyFromStdin(`COPY ${copy.table} (${copy.columns.join(', ')}) FROM STDIN`, copy.rows, copy.columns.length);
  client.query(q);
  return q.done;
}

/** Whether pgCopyText / pgCopyBytes can write every value (null, string, number, bigint, boolean). */
function copyable(rows: readonly (readonly unknown[])[], width: number): boolean {
  for (const row of rows) {
    for (let c = 0; c < width; c++) {
      const v = row[c];
      if (v !== null && v !== undefined && typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'bigint' && typeof v !== 'boolean') return false;
    }
  }
  return true;
}

/**
 * The rows as ONE protocol message ready for the socket: CopyData ('d', length, the rows in the text
 * format — byte for byte `Buffer.from(pgCopyText(rows, width))`) followed by CopyDone ('c'), written
 * straight into `scratch` (grown when too small; the returned buffer is the scratch to keep).
 *
 * Why not `Buffer.from(pgCopyText(…))` handed to node-postgres (as before): the text of a batch's
 * journey log is a rope of ~27,000 pieces, and turning it into bytes cost more than building it —
 * V8 flattens the rope (a copy, as UTF-16 once a Chinese body is in it), Buffer.from allocates and
 * encodes a fresh ~200 KB buffer, and node-postgres's CopyData message copies it once more into a
 * fresh buffer of its own: 2.5–3.5 ms of the worker's CPU per COPY for ~200 KB (measured on the
 * bench's log and send rows), against ~0.4–0.6 ms written here byte by byte into a buffer kept for
 * the connection. ASCII is written as it is read; a string with any other character is escaped
 * (if need be) and encoded by Buffer.write, exactly as Buffer.from would encode it.
 */
export function pgCopyBytes(rows: readonly (readonly unknown[])[], width: number, scratch: Buffer | null): { buffer: Buffer; length: number } {
  let buf = scratch ?? Buffer.allocUnsafe(64 * 1024);
  let off = 5; // 'd' and the length are written last
  // `buf` and `off` stay plain locals (a closure capturing them made every write a context access).
  for (const row of rows) {
    for (let c = 0; c < width; c++) {
      if (c > 0) {
        if (off + 1 + 5 > buf.length) buf = grown(buf, off, 1);
        buf[off++] = 9; // tab
      }
      const v = row[c];
      if (v === null || v === undefined) {
        if (off + 2 + 5 > buf.length) buf = grown(buf, off, 2);
        buf[off++] = 92; // \
        buf[off++] = 78; // N
        continue;
      }
      if (typeof v === 'number' && Number.isSafeInteger(v)) {
        // Digits written straight (String(n) allocated a string per id and timestamp); -0 as 0, like String.
        if (off + 17 + 5 > buf.length) buf = grown(buf, off, 17);
        let n = v;
        if (n < 0) {
          buf[off++] = 45; // -
          n = -n;
        }
        if (n < 1e9) off = writeDigits(buf, off, n, 1);
        else {
          // A timestamp in ms (13 digits) is past 2^31: `%` and `/` on it are float operations (the
          // modulo a C call to fmod), and the log's and sends' timestamps made this line a quarter
          // of pgCopyBytes. Written as the part above 10^9, then its 9 low digits, each in int32.
          let hi = Math.floor(n / 1e9);
          let lo = n - hi * 1e9; // exact: both below 2^53
          if (lo < 0) {
            // A guard: n / 1e9 rounded up to the next whole number (n just below a multiple of 10^9;
            // not seen for any safe integer, tests/db/pg-copy-batch-writes.test.ts tries them).
            hi--;
            lo += 1e9;
          }
          off = writeDigits(buf, off, hi, 1);
          off = writeDigits(buf, off, lo, 9);
        }
        continue;
      }
      const str = typeof v === 'string' ? v : String(v);
      // ASCII (escaped as pgCopyText does) is at most 2 bytes a character, anything else at most 3 (UTF-8).
      if (off + 3 * str.length + 5 > buf.length) buf = grown(buf, off, 3 * str.length);
      const start = off;
      let ascii = true;
      for (let i = 0; i < str.length; i++) {
        const ch = str.charCodeAt(i);
        if (ch >= 0x80) {
          ascii = false;
          break;
        }
        if (ch === 92 || ch === 10 || ch === 13 || ch === 9) {
          buf[off++] = 92;
          buf[off++] = ch === 92 ? 92 : ch === 10 ? 110 : ch === 13 ? 114 : 116;
        } else buf[off++] = ch;
      }
      if (!ascii) off = start + buf.write(NEEDS_ESCAPE.test(str) ? str.replace(ESCAPED, escapeChar) : str, start, 'utf8');
    }
    if (off + 1 + 5 > buf.length) buf = grown(buf, off, 1);
    buf[off++] = 10; // newline
  }
  buf[0] = 0x64; // CopyData
  buf.writeInt32BE(off - 1, 1);
  buf[off++] = 0x63; // CopyDone
  buf.writeInt32BE(4, off);
  off += 4;
  return { buffer: buf, length: off };
}

/**
 * The decimal digits of `x` (a whole number below 2^31), at least `width` of them (zeros in front),
 * written at `off`; returns the offset after them. Int32 arithmetic throughout.
 */
function writeDigits(buf: Buffer, off: number, x: number, width: number): number {
  let n = x | 0;
  let digits = 1;
  for (let p = 10; p <= n; p *= 10) digits++;
  if (digits < width) digits = width;
  const end = off + digits;
  for (let k = end - 1; k >= off; k--) {
    const q = (n / 10) | 0;
    buf[k] = 48 + n - q * 10;
    n = q;
  }
  return end;
}

/**
 * Each connection's scratch buffer for pgCopyBytes. Safe to reuse: a connection runs one statement
 * at a time, and a COPY's bytes are written only when its turn comes (handleCopyInResponse), after
 * the server answered every message sent before — which it can only do once it has read them, i.e.
 * once the socket has written the previous COPY's bytes out of this buffer.
 */
const scratchOf = new WeakMap<object, Buffer>();

/** A larger buffer holding the first `used` bytes of `buf`, with room for `more` bytes and a CopyDone. */
function grown(buf: Buffer, used: number, more: number): Buffer {
  const bigger = Buffer.allocUnsafe(Math.max(buf.length * 2, used + more + 5));
  buf.copy(bigger, 0, 0, used);
  return bigger;
}

/** One COPY FROM STDIN as a node-postgres query (the client calls these handlers as the server answers). */
class CopyFromStdin {
  readonly done: Promise<number>;
  private resolve!: (n: number) => void;
  private reject!: (e: unknown) => void;
  private settled = false;
  private rowCount = 0;

  constructor(
    private readonly text: string,
    private readonly rows: readonly (readonly unknown[])[],
    private readonly width: number,
  ) {
    this.done = new Promise<number>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  /** Simple query protocol: the server answers CopyInResponse, then waits for the data. */
  submit(connection: Connection): void {
    connection.query(this.text);
  }

  /** The rows and the end of the data, as one write of the connection's scratch buffer (pgCopyBytes). */
  handleCopyInResponse(connection: Connection): void {
    const c = connection as Connection & { _send?(b: Buffer): boolean; sendCopyFromChunk(b: Buffer): void; endCopyFrom(): void };
    const { buffer, length } = pgCopyBytes(this.rows, this.width, scratchOf.get(connection) ?? null);
    scratchOf.set(connection, buffer);
    if (typeof c._send === 'function') {
      c._send(buffer.subarray(0, length));
      return;
    }
    // A node-postgres without `_send`: its own messages (a copy of the data, as before).
    c.sendCopyFromChunk(Buffer.from(buffer.subarray(5, length - 5)));
    c.endCopyFrom();
  }

  handleCommandComplete(msg: { text?: string }): void {
    const m = /(\d+)$/.exec(msg.text ?? ''); // "COPY 3000"
    this.rowCount = m ? Number(m[1]) : 0;
  }

  handleReadyForQuery(): void {
    this.settle(() => this.resolve(this.rowCount));
  }

  /** A server error (the client calls no handleReadyForQuery after it) or a dead connection. */
  handleError(e: unknown): void {
    this.settle(() => this.reject(e));
  }

  private settle(f: () => void): void {
    if (this.settled) return;
    this.settled = true;
    f();
  }

  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyData(): void {}
}
