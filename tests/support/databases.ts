import { rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { openDatabase, type DatabaseTarget } from '../../server/src/persistence/data-source.js';
import { tempDir } from './temp-dirs.js';

/**
 * Database tests run on both SQLite and the local PostgreSQL (scripts/test.sh starts it when it
 * is down). PostgreSQL is never skipped silently: if it cannot be reached the test fails.
 */
export const PG_ADMIN_URL = process.env.REKINDLE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export const DIALECTS = ['sqlite', 'postgres'] as const;
export type TestDialect = (typeof DIALECTS)[number];

export interface TestDatabase {
  target: DatabaseTarget;
  dataSource: DataSource;
  close(): Promise<void>;
}

let counter = 0;

export async function freshTarget(dialect: TestDialect): Promise<{ target: DatabaseTarget; drop(): Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = tempDir('rekindle-test-');
    // The database, its -wal/-shm and any rules folder a test wrote beside it go with the test
    // (drop() removes them at once; a test file that never drops still leaves nothing behind).
    return { target: { url: join(dir, 'shop.sqlite') }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `rekindle_t_${process.pid}_${Date.now()}_${counter++}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = PG_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
  return {
    target: { url },
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export async function openTestDatabase(dialect: TestDialect): Promise<TestDatabase> {
  const { target, drop } = await freshTarget(dialect);
  const dataSource = await openDatabase(target);
  return {
    target,
    dataSource,
    close: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      await drop();
    },
  };
}
