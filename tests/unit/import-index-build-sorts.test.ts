import { describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { INDEX_BUILD_CACHE_KIB, withSpillingSorts } from '../../server/src/persistence/import-index-build-sorts.js';

type Pragmas = Parameters<typeof withSpillingSorts>[0];
const setting = (db: Database.Database, name: string) => Number(db.pragma(name, { simple: true }));

/**
 * An import's index builds run with temporary storage on file and a small cache (so that SQLite's
 * sorter sorts small runs and merges them), and the connection's own settings come back after them.
 */
describe('index builds sort in small runs', () => {
  it('sets temp_store on file and the small cache while the builds run, then gives both back', async () => {
    const db = new Database(':memory:');
    db.pragma('temp_store = MEMORY');
    db.pragma('cache_size = -131072');
    const seen = await withSpillingSorts(db as unknown as Pragmas, async () => [setting(db, 'temp_store'), setting(db, 'cache_size')]);
    expect(seen).toEqual([1, -INDEX_BUILD_CACHE_KIB]);
    expect([setting(db, 'temp_store'), setting(db, 'cache_size')]).toEqual([2, -131072]);
    db.close();
  });

  it('gives the settings back when a build fails', async () => {
    const db = new Database(':memory:');
    db.pragma('temp_store = MEMORY');
    db.pragma('cache_size = -65536');
    await expect(withSpillingSorts(db as unknown as Pragmas, async () => Promise.reject(new Error('disk full')))).rejects.toThrow('disk full');
    expect([setting(db, 'temp_store'), setting(db, 'cache_size')]).toEqual([2, -65536]);
    db.close();
  });

  it('leaves a connection inside a transaction as it is (temp_store cannot change there)', async () => {
    const db = new Database(':memory:');
    db.pragma('temp_store = MEMORY');
    db.exec('CREATE TABLE t (x)');
    db.exec('BEGIN');
    const seen = await withSpillingSorts(db as unknown as Pragmas, async () => setting(db, 'temp_store'));
    expect(seen).toBe(2);
    db.exec('COMMIT');
    db.close();
  });

  it('builds the same index as an in-memory sort', async () => {
    const make = () => {
      const db = new Database(':memory:');
      db.exec('CREATE TABLE e (id INTEGER PRIMARY KEY, customer_id INTEGER, type TEXT)');
      const ins = db.prepare('INSERT INTO e (customer_id, type) VALUES (?, ?)');
      db.transaction(() => {
        for (let i = 0; i < 60_000; i++) ins.run((i * 7919) % 5003, i % 3 ? 'order_paid' : 'order_created');
      })();
      return db;
    };
    const plain = make();
    plain.pragma('temp_store = MEMORY');
    plain.exec('CREATE INDEX ix ON e (customer_id, type)');
    const spilled = make();
    spilled.pragma('temp_store = MEMORY');
    await withSpillingSorts(spilled as unknown as Pragmas, async () => spilled.exec('CREATE INDEX ix ON e (customer_id, type)'));
    const read = (db: Database.Database) => db.prepare('SELECT customer_id, type, id FROM e INDEXED BY ix ORDER BY customer_id, type, id').raw().all();
    expect(read(spilled)).toEqual(read(plain));
    expect(spilled.pragma('integrity_check', { simple: true })).toBe('ok');
    plain.close();
    spilled.close();
  });
});
