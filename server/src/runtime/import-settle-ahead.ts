import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { OwedAggregate, PreparedPart } from '../persistence/owed-facts-ahead.js';
import type { SettleAheadRun } from '../persistence/importer.js';
import type { FromImportSettleThread, ImportSettleThreadData } from './import-settle-thread.js';

const ENTRY = new URL('./import-settle-thread.js', import.meta.url);

/**
 * Works out a large import's settle on a thread of its own (import-settle-thread.ts,
 * persistence/owed-facts-ahead.ts): `file` the shop's database, `dir` a directory for its scratch
 * files. Its two promises resolve to the aggregate of the owed rows and to the lower half of the
 * fact rows worked out from it, or to null when the thread could not (no compiled entry — tests
 * from the TypeScript sources —, a thread that failed or died): the import then settles in place.
 * Handed to the importer by the CLI and the benches (ImportOptions.settleAhead), whose import
 * has its connection to itself.
 */
export function startImportSettleAhead(file: string, dir: string, entry: URL = ENTRY): SettleAheadRun {
  if (entry.protocol !== 'file:' || !existsSync(fileURLToPath(entry))) return { aggregate: Promise.resolve(null), part: Promise.resolve(null) };
  let aggregateDone!: (a: OwedAggregate | null) => void;
  let partDone!: (p: PreparedPart | null) => void;
  const aggregate = new Promise<OwedAggregate | null>((resolve) => (aggregateDone = resolve));
  const part = new Promise<PreparedPart | null>((resolve) => (partDone = resolve));
  // A promise already resolved keeps its value: a failure after the aggregate ends only the part.
  const fail = () => {
    aggregateDone(null);
    partDone(null);
  };
  const workerData: ImportSettleThreadData = { file, aggregate: join(dir, 'aggregate.sqlite'), part: join(dir, 'facts-lower.sqlite') };
  const worker = new Worker(entry, { workerData, name: 'rekindle-import-settle' });
  worker.on('message', (m: FromImportSettleThread) => {
    if (!m.ok) fail();
    else if ('aggregate' in m) aggregateDone(m.aggregate);
    else partDone(m.part);
  });
  worker.once('error', fail);
  worker.once('exit', fail);
  return { aggregate, part };
}
