import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fixedClock } from '../../server/src/core/clock.js';
import { importRows } from '../../server/src/persistence/importer.js';
import { importTempStoreInMemory } from '../../server/src/persistence/import-temp-store.js';
import { rawSqlite } from '../../server/src/persistence/write-transaction.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';

type Pragmas = { pragma(s: string, o?: { simple: boolean }): unknown; inTransaction: boolean; exec(sql: string): unknown };

/**
 * An import raises SQLite's page cache and WAL checkpoint interval for its length, then restores
 * them; a connection that never checkpoints itself (the server's request connection, whose
 * checkpointer thread does it) must not start checkpointing on a request's commit because an import runs.
 */
describe('SQLite settings during an import', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase('sqlite');
  });
  afterAll(async () => db?.close());

  const importCustomers = (onRows: () => void) =>
    importRows(db.dataSource, { kind: 'customers', format: 'csv', source: ['externalId,name\nz1,A\nz2,B\n'], file: 'customers.csv', timezone: 'Asia/Shanghai', clock: fixedClock(Date.parse('2026-01-01T00:00:00Z')), batchSize: 1, onRows });

  it('raises the checkpoint interval and restores it afterwards', async () => {
    const raw = rawSqlite(db.dataSource) as unknown as Pragmas;
    const before = raw.pragma('wal_autocheckpoint', { simple: true });
    const during: unknown[] = [];
    await importCustomers(() => during.push(raw.pragma('wal_autocheckpoint', { simple: true })));
    expect(during[0]).toBe(65536);
    expect(raw.pragma('wal_autocheckpoint', { simple: true })).toBe(before);
  });

  it('leaves a connection without automatic checkpoints without them', async () => {
    const raw = rawSqlite(db.dataSource) as unknown as Pragmas;
    const before = raw.pragma('wal_autocheckpoint', { simple: true });
    raw.pragma('wal_autocheckpoint = 0');
    try {
      const during: unknown[] = [];
      await importCustomers(() => during.push(raw.pragma('wal_autocheckpoint', { simple: true })));
      expect(during.length).toBeGreaterThan(0);
      expect(new Set(during)).toEqual(new Set([0]));
      expect(raw.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    } finally {
      raw.pragma(`wal_autocheckpoint = ${before}`);
    }
  });

  // The order chunk's fact update calls SQL functions, so SQLite gives it a statement journal
  // whatever its conflict clause; with temp storage in memory that journal is not a temp file
  // (~81 MB of writes per 300,000 orders, bench/README.md).
  it('keeps temp storage in memory during an import and restores it afterwards', async () => {
    const raw = rawSqlite(db.dataSource) as unknown as Pragmas;
    const before = raw.pragma('temp_store', { simple: true });
    expect(before).not.toBe(2);
    const during: unknown[] = [];
    await importCustomers(() => during.push(raw.pragma('temp_store', { simple: true })));
    expect(during.length).toBeGreaterThan(0);
    expect(new Set(during)).toEqual(new Set([2]));
    expect(raw.pragma('temp_store', { simple: true })).toBe(before);
  });

  it('changes temp storage only outside a transaction, once it has ended', async () => {
    const raw = rawSqlite(db.dataSource) as unknown as Pragmas;
    const before = raw.pragma('temp_store', { simple: true });
    const wait = () => new Promise((r) => setTimeout(r, 120));
    raw.exec('BEGIN');
    const release = importTempStoreInMemory(raw);
    try {
      expect(raw.pragma('temp_store', { simple: true })).toBe(before); // SQLite refuses it in a transaction
    } finally {
      raw.exec('COMMIT');
    }
    await wait();
    expect(raw.pragma('temp_store', { simple: true })).toBe(2);
    raw.exec('BEGIN');
    release();
    try {
      expect(raw.pragma('temp_store', { simple: true })).toBe(2);
    } finally {
      raw.exec('COMMIT');
    }
    await wait();
    expect(raw.pragma('temp_store', { simple: true })).toBe(before);
  });

  it('leaves temp storage in memory while another import still runs', async () => {
    const raw = rawSqlite(db.dataSource) as unknown as Pragmas;
    const before = raw.pragma('temp_store', { simple: true });
    const outer = importTempStoreInMemory(raw);
    await importCustomers(() => undefined);
    expect(raw.pragma('temp_store', { simple: true })).toBe(2);
    outer();
    expect(raw.pragma('temp_store', { simple: true })).toBe(before);
  });
});
