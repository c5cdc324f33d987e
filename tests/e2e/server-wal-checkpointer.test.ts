/**
 * On a SQLite file the server's writers leave WAL checkpoints to a thread of their own
 * (runtime/wal-checkpointer.ts). Stopping the server must still end with every stored event in
 * the database, and the server must start again on that file and stop again. Runs the built
 * server (`npm test` builds it first).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { openDatabase } from '../../server/src/persistence/data-source.js';
import { AccountStore } from '../../server/src/persistence/accounts.js';
import { upsertCustomers } from '../../server/src/persistence/shop-repository.js';
import { writeTransaction } from '../../server/src/persistence/write-transaction.js';
import { freshTarget } from '../support/databases.js';
import { freePort, serverReady } from '../support/server-process.js';
import { tempDir } from '../support/temp-dirs.js';

const CUSTOMERS = 20;
const BATCHES = 40;
const PER_BATCH = 100;


describe('the server with its WAL checkpointer thread (SQLite file)', () => {
  let file: string;
  let rulesDir: string;
  let token: string;

  beforeAll(async () => {
    const t = await freshTarget('sqlite');
    file = t.target.url;
    rulesDir = tempDir('rekindle-wal-rules-');
    for (const d of ['segments', 'flows']) mkdirSync(join(rulesDir, d));
    cpSync('rules/shop.yaml', join(rulesDir, 'shop.yaml'));
    const ds = await openDatabase(t.target);
    const now = Date.now();
    await writeTransaction(ds, (m) => upsertCustomers(m, Array.from({ length: CUSTOMERS }, (_, i) => ({ externalId: `c${i}`, name: `C${i}` })), { now, timezone: 'Asia/Shanghai' }));
    ({ token } = await new AccountStore(ds).createToken('order-feed', ['events:write'], 'test'));
    await ds.destroy();
  });
  afterAll(() => {
    rmSync(dirname(file), { recursive: true, force: true });
    rmSync(rulesDir, { recursive: true, force: true });
  });

  function start(port: number): ChildProcess {
    return spawn(process.execPath, ['dist/server/src/main.js'], {
      env: { ...process.env, DATABASE_URL: file, REKINDLE_RULES: rulesDir, PORT: String(port), REKINDLE_QUIET: '1', REKINDLE_ENGINE_THREAD: 'on' },
      stdio: 'ignore',
    });
  }

  /** SIGTERM; resolves with how it ended once it has. */
  function stop(child: ChildProcess): Promise<{ code: number | null; signal: string | null }> {
    const ended = new Promise<{ code: number | null; signal: string | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
    child.kill('SIGTERM');
    return ended;
  }

  let posted = 0;
  async function post(base: string): Promise<void> {
    for (let b = 0; b < BATCHES; b++) {
      const events = Array.from({ length: PER_BATCH }, () => {
        const n = posted++;
        return { type: 'page_viewed', customerExternalId: `c${n % CUSTOMERS}`, occurredAt: new Date().toISOString(), idempotencyKey: `wal-${n}`, properties: { n, filler: 'x'.repeat(500) } };
      });
      const res = await fetch(`${base}/api/events`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(events) });
      expect(res.status).toBe(200);
    }
  }

  it('stops on SIGTERM with every stored event in the file, then starts and stops again on it', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    for (let run = 0; run < 2; run++) {
      const child = start(port);
      try {
        await serverReady(base, child);
        await post(base);
      } finally {
        const ended = await stop(child);
        // Nest closes the app on SIGTERM, then ends the process with the same signal.
        expect(ended.code === 0 || ended.signal === 'SIGTERM').toBe(true);
      }
      // The last connection to close folded the WAL into the database file.
      expect(existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0).toBe(0);
      const db = new Database(file, { readonly: true });
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(db.prepare("SELECT COUNT(*) AS n FROM customer_events WHERE idempotency_key LIKE 'wal-%'").get()).toEqual({ n: posted });
      } finally {
        db.close();
      }
    }
  }, 120_000);
});
