import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PreparedSettle } from '../persistence/owed-facts-ahead.js';
import type { FromImportSettleThread, ImportSettleThreadData } from './import-settle-thread.js';

const ENTRY = new URL('./import-settle-thread.js', import.meta.url);

/**
 * Works out a large import's settle on a thread of its own (import-settle-thread.ts,
 * persistence/owed-facts-ahead.ts): `file` the shop's database, `out` the scratch file to write.
 * Resolves to what it prepared, or null when it could not (no compiled entry — tests from the
 * TypeScript sources —, a thread that failed or died): the import then settles in place.
 * Handed to the importer by the CLI and the benches (ImportOptions.settleAhead), whose import
 * has its connection to itself.
 */
export function startImportSettleAhead(file: string, out: string, entry: URL = ENTRY): Promise<PreparedSettle | null> {
  if (entry.protocol !== 'file:' || !existsSync(fileURLToPath(entry))) return Promise.resolve(null);
  return new Promise((resolve) => {
    let settled = false;
    const done = (p: PreparedSettle | null) => {
      if (!settled) {
        settled = true;
        resolve(p);
      }
    };
    const worker = new Worker(entry, { workerData: { file, out } satisfies ImportSettleThreadData, name: 'rekindle-import-settle' });
    worker.once('message', (m: FromImportSettleThread) => done(m.ok ? m.prepared : null));
    worker.once('error', () => done(null));
    worker.once('exit', () => done(null));
  });
}
