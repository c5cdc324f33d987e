import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { SqlReader } from '../persistence/segment-store.js';
import { ReaderGate, readerGateFor } from './reader-gate.js';
import type { FromSqlReader, SqlReaderData, ToSqlReader } from './sql-reader-thread.js';

const ENTRY = new URL('./sql-reader-thread.js', import.meta.url);

/**
 * Read-only queries of a SQLite file in a worker thread (sql-reader-thread.ts), for the long
 * ones: whole-shop segment counts and ids. Started on first use; if the thread cannot start or
 * dies, `available` turns false and callers query their own connection instead.
 */
export class SqlReaderThread implements SqlReader {
  private worker: Worker | null = null;
  private readonly calls = new Map<number, { resolve(rows: unknown[]): void; reject(e: Error): void }>();
  private next = 1;
  private dead = false;

  constructor(
    private readonly file: string,
    /** The compiled thread entry (tests under ts-jest point at dist/). */
    private readonly entry: URL = ENTRY,
  ) {}

  /** A SQLite file (not :memory:) and the compiled thread entry (dist/; not under ts-jest). */
  static supported(file: string): boolean {
    return file !== ':memory:' && file !== '' && ENTRY.protocol === 'file:' && existsSync(fileURLToPath(ENTRY));
  }

  get available(): boolean {
    return !this.dead;
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const gate = new ReaderGate(readerGateFor(this.file));
    const w = new Worker(this.entry, { workerData: { file: this.file, gate: gate.buffer } satisfies SqlReaderData, name: 'rekindle-sql-reader' });
    gate.readerStarted();
    w.unref();
    w.on('message', (m: FromSqlReader) => {
      const c = this.calls.get(m.id);
      this.calls.delete(m.id);
      if (m.ok) c?.resolve(m.rows);
      else c?.reject(new Error(m.error));
    });
    const fail = (e: Error) => {
      this.dead = true;
      for (const c of this.calls.values()) c.reject(e);
      this.calls.clear();
    };
    w.on('error', fail);
    w.on('exit', () => {
      gate.readerGone();
      fail(new Error('SQL reader thread exited'));
    });
    return (this.worker = w);
  }

  all(sql: string, params: unknown[], opts: { pluck?: boolean } = {}): Promise<unknown[]> {
    const w = this.start();
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.calls.set(id, { resolve, reject });
      w.postMessage({ id, sql, params: params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p)), pluck: !!opts.pluck } satisfies ToSqlReader);
    });
  }

  async close(): Promise<void> {
    this.dead = true;
    await this.worker?.terminate();
    this.worker = null;
  }

  /** Nest calls this on the provider's value when the app closes. */
  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }
}
