import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defaultShopConfig } from '../../server/src/core/shop-config.js';
import { checkConditions } from '../../server/src/core/rules/rule-file.js';
import { RuleSet } from '../../server/src/core/rules/rule-set.js';
import { runSegment } from '../../server/src/core/segment/segmenter.js';
import { SqlSegmentStore } from '../../server/src/persistence/segment-store.js';
import { statementTransaction } from '../../server/src/persistence/write-transaction.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { SqlReaderThread } from '../../server/src/runtime/sql-reader.js';
import { SharedWriteLock } from '../../server/src/runtime/shared-write-lock.js';
import { insertFacts, prng, randomStoredFacts } from '../../bench/segment/facts-generator.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';

/**
 * What keeps long SQL off the request thread (issue 9): statement transactions, the SQL reader
 * thread for segment scans, and the write lock shared by the request and engine threads.
 */
const AT = Date.parse('2026-11-20T09:30:00+08:00');
const SHOP = defaultShopConfig;
// Worker threads run compiled JavaScript: the reader thread's entry from dist/ (npm test builds it first).
const READER_ENTRY = new URL('../../dist/server/src/runtime/sql-reader-thread.js', import.meta.url);

function ruleSet(conditions: unknown) {
  const { conditions: c, references } = checkConditions(conditions, 'test');
  return RuleSet.fromDefinitions([{ name: 'r', conditions: c, references, source: 'test' }]);
}

describe.each(DIALECTS)('statement transactions on %s', (dialect) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(dialect);
  });
  afterAll(async () => db?.close());

  it('commits what the function wrote and rolls all of it back when it throws', async () => {
    const ds = db.dataSource;
    const insert = (m: { query(sql: string, p: unknown[]): Promise<unknown> }, name: string) =>
      m.query(dialect === 'postgres' ? 'INSERT INTO event_consumers (name, consumed, batches, updated_at) VALUES ($1, 0, 0, 0)' : 'INSERT INTO event_consumers (name, consumed, batches, updated_at) VALUES (?, 0, 0, 0)', [name]);
    const r = await statementTransaction(ds, async (m) => {
      await insert(m, 'kept');
      return (await m.query(dialect === 'postgres' ? 'SELECT name FROM event_consumers WHERE name = $1' : 'SELECT name FROM event_consumers WHERE name = ?', ['kept'])) as { name: string }[];
    });
    expect(r.map((x) => x.name)).toEqual(['kept']); // reads see the transaction's own writes
    await expect(
      statementTransaction(ds, async (m) => {
        await insert(m, 'dropped');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const names = (await queryRows(ds, "SELECT name FROM event_consumers WHERE name IN ('kept', 'dropped') ORDER BY name")).map((x) => x.name);
    expect(names).toEqual(['kept']);
  });
});

describe('off the request thread (SQLite)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase('sqlite');
    const r = prng(11);
    await insertFacts(db.dataSource, Array.from({ length: 300 }, (_, i) => randomStoredFacts(r, i + 1, AT)));
  });
  afterAll(async () => db?.close());

  it('a segment scanned in the reader thread gives the same count, ids and sample as on the connection', async () => {
    expect(existsSync(fileURLToPath(READER_ENTRY))).toBe(true);
    const reader = new SqlReaderThread(db.target.url, READER_ENTRY);
    try {
      const rules = ruleSet({ all: [{ fact: 'orderCount', operator: 'greaterThanInclusive', value: 2 }] });
      const opts = { at: AT, timezone: SHOP.timezone, lifecycle: SHOP.lifecycle, ids: true, sample: 5 };
      const here = await runSegment(new SqlSegmentStore(db.dataSource, 50), rules, 'r', opts);
      const there = await runSegment(new SqlSegmentStore(db.dataSource, 50, reader), rules, 'r', opts);
      expect(here.count).toBeGreaterThan(0);
      expect(there.count).toBe(here.count);
      expect(there.ids).toEqual(here.ids);
      expect(there.sample).toEqual(here.sample);
      const engine = await runSegment(new SqlSegmentStore(db.dataSource, 50, reader), rules, 'r', { ...opts, evaluator: 'engine' });
      expect(engine.count).toBe(here.count);
    } finally {
      await reader.close();
    }
  });

  it('the shared write lock hands over first come, first served', async () => {
    const lock = new SharedWriteLock();
    const a = lock.forRequestThread();
    const b = new SharedWriteLock(lock.buffer).forRequestThread(); // another thread's view of the same buffer
    const order: string[] = [];
    await a.acquire();
    const second = Promise.resolve(b.acquire()).then(() => order.push('b'));
    const third = Promise.resolve(a.acquire()).then(() => order.push('a again'));
    await new Promise((r) => setTimeout(r, 20));
    expect(order).toEqual([]); // both wait while the lock is held
    a.release();
    await second;
    expect(order).toEqual(['b']);
    b.release();
    await third;
    expect(order).toEqual(['b', 'a again']);
    a.release();
  });
});
