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
  const text = pgCopyText(copy.rows, copy.columns.length);
  if (text === null) return null;
  const q = new CopyFromStdin(`COPY ${copy.table} (${copy.columns.join(', ')}) FROM STDIN`, Buffer.from(text, 'utf8'));
  client.query(q);
  return q.done;
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
    private readonly payload: Buffer,
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

  handleCopyInResponse(connection: Connection): void {
    const c = connection as Connection & { sendCopyFromChunk(b: Buffer): void; endCopyFrom(): void };
    c.sendCopyFromChunk(this.payload);
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
