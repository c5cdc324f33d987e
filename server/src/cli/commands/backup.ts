import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { Command } from 'commander';
import { secretFileFor } from '../../config/server-secret.js';
import { dialectOf, sqliteFileOf } from '../../persistence/data-source.js';
import { createPrivateFile } from '../../persistence/private-files.js';
import { CliError, commandContext, output, requireExistingDatabase } from '../context.js';

/**
 * `rekindle backup <file>`: a consistent copy of the shop's SQLite database while the server runs,
 * by SQLite's online backup (better-sqlite3 `.backup()`): it copies committed pages, the WAL's
 * included, so copying the file with `cp` (and missing the -wal) is not needed. The copy is 0600
 * like the shop's file. PostgreSQL shops use pg_dump. docs/backup.md says what else travels with it
 * (the server secret file).
 */
export function registerBackup(program: Command): void {
  program
    .command('backup <file>')
    .description('copy the SQLite database to a new file (0600), consistently, while the server runs; PostgreSQL: use pg_dump (docs/backup.md)')
    .action(async (file: string, _o: unknown, cmd: Command) => {
      const ctx = commandContext(cmd);
      if (dialectOf(ctx.database) !== 'sqlite') throw new CliError('backup copies a SQLite database; for PostgreSQL use pg_dump (docs/backup.md)');
      const source = sqliteFileOf(ctx.database);
      if (source === null) throw new CliError('--db :memory: has nothing to back up; give the shop\'s SQLite file');
      requireExistingDatabase(ctx.database);
      if (existsSync(file)) throw new CliError(`${file} already exists; give a new file (a backup never overwrites one)`);
      mkdirSync(dirname(resolve(file)), { recursive: true });
      const db = new Database(source, { fileMustExist: true });
      try {
        createPrivateFile(file);
        await db.backup(file);
      } catch (e) {
        rmSync(file, { force: true });
        throw new CliError(`backup to ${file} failed: ${(e as Error).message}`);
      } finally {
        db.close();
      }
      const secret = secretFileFor(ctx.database);
      const bytes = statSync(file).size;
      output(ctx, { file, bytes, secretFile: secret }, () =>
        `backed up ${source} to ${file} (${(bytes / 1_048_576).toFixed(1)} MB, mode 0600)${secret ? `; keep ${secret} with it: it keys CSRF tokens and provider message ids, and a shop restored without it signs everyone out` : ''}`,
      );
    });
}
