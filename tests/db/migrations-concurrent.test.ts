import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { DataSource, type DataSourceOptions, type MigrationInterface, type QueryRunner } from 'typeorm';
import { dataSourceOptions, openDatabase } from '../../server/src/persistence/data-source.js';
import { migrate } from '../../server/src/persistence/migrate.js';
import { MIGRATIONS } from '../../server/src/persistence/migrations/index.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { DIALECTS, freshTarget } from '../support/databases.js';
import { tempDir } from '../support/temp-dirs.js';

/** `rekindle users list` in a process of its own: it opens the database, migrating it first. */
function cli(db: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/rekindle.js', '--db', db, 'users', 'list'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c));
    child.stderr.on('data', (c: Buffer) => (output += c));
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe.each(DIALECTS)('processes started together on one fresh database (%s)', (dialect) => {
  // Unlocked, PostgreSQL failed every time; SQLite in about two starts of five.
  const rounds = dialect === 'sqlite' ? 3 : 1;
  it.each(Array.from({ length: rounds }, (_, i) => i + 1))('all start: they take turns migrating, and each migration runs once (round %i)', async () => {
    const t = await freshTarget(dialect);
    try {
      // The server, workers and a scheduler started at once (or a CLI command beside the server).
      const runs = await Promise.all([1, 2, 3, 4].map(() => cli(t.target.url)));
      expect(runs.map((r) => (r.code === 0 ? 'ok' : r.output))).toEqual(['ok', 'ok', 'ok', 'ok']);
      const ds = await openDatabase(t.target);
      try {
        const ran = await queryRows(ds, 'SELECT name FROM migrations ORDER BY id');
        expect(ran.map((r) => r.name)).toEqual(MIGRATIONS.map((m) => m.name));
      } finally {
        await ds.destroy();
      }
    } finally {
      await t.drop();
    }
  });
});

describe('SQLite migrations run in one write transaction', () => {
  class Parents1700000000001 implements MigrationInterface {
    name = 'Parents1700000000001';
    async up(q: QueryRunner) {
      await q.query('CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT)');
      await q.query('CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id) ON DELETE CASCADE)');
      await q.query("INSERT INTO parent VALUES (1, 'a')");
      await q.query('INSERT INTO child VALUES (10, 1)');
    }
    async down() {}
  }
  /** The usual SQLite rebuild of a table (as TypeORM does to change a column): new table, copy, drop, rename. */
  class RebuildParent1700000000002 implements MigrationInterface {
    name = 'RebuildParent1700000000002';
    async up(q: QueryRunner) {
      await q.query('CREATE TABLE parent_new (id INTEGER PRIMARY KEY, name TEXT NOT NULL)');
      await q.query('INSERT INTO parent_new SELECT id, name FROM parent');
      await q.query('DROP TABLE parent');
      await q.query('ALTER TABLE parent_new RENAME TO parent');
    }
    async down() {}
  }
  class Orphan1700000000003 implements MigrationInterface {
    name = 'Orphan1700000000003';
    async up(q: QueryRunner) {
      await q.query('INSERT INTO child VALUES (11, 99)');
    }
    async down() {}
  }

  async function migrated(migrations: (new () => MigrationInterface)[]) {
    const dir = tempDir('rekindle-migrate-');
    const ds = new DataSource({ ...dataSourceOptions({ url: join(dir, 'm.sqlite') }), entities: [], migrations } as DataSourceOptions);
    await ds.initialize();
    return ds;
  }

  it('rebuilds a table with foreign keys off, so its children are not cascaded away, and foreign keys are back on after', async () => {
    const ds = await migrated([Parents1700000000001, RebuildParent1700000000002]);
    try {
      await migrate(ds);
      expect(await ds.query('SELECT id FROM child')).toEqual([{ id: 10 }]);
      expect(await ds.query('PRAGMA foreign_keys')).toEqual([{ foreign_keys: 1 }]);
    } finally {
      await ds.destroy();
    }
  });

  it('refuses migrations that leave a row without its parent, and applies none of them', async () => {
    const ds = await migrated([Parents1700000000001, RebuildParent1700000000002, Orphan1700000000003]);
    try {
      await expect(migrate(ds)).rejects.toThrow(/1 row\(s\) whose foreign key finds no parent \(first: child → parent\)/);
      expect(await ds.query("SELECT name FROM sqlite_master WHERE name IN ('parent', 'child', 'migrations')")).toEqual([]);
      expect(await ds.query('PRAGMA foreign_keys')).toEqual([{ foreign_keys: 1 }]);
    } finally {
      await ds.destroy();
    }
  });
});
