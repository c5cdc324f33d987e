import { spawn } from 'node:child_process';
import { describe, expect, it } from '@jest/globals';
import { openDatabase } from '../../server/src/persistence/data-source.js';
import { MIGRATIONS } from '../../server/src/persistence/migrations/index.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { DIALECTS, freshTarget } from '../support/databases.js';

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
