import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes a large SQLite import has dropped while it writes and owes back (issue 9,
 * persistence/import-index-pause.ts): one row per index, holding its own `CREATE INDEX` text from
 * sqlite_master, written in the transaction that drops the index and deleted in the one that
 * builds it again, with the importing process (`host`, `pid`). A row left behind by a process that
 * is gone (the import was killed) is built again by the next process that opens the database
 * (migrate.ts). Both dialects have the table; only SQLite's import writes
 * rows (PostgreSQL keeps its indexes), so on PostgreSQL it stays empty.
 */
export class PausedIndexes1765009042017 implements MigrationInterface {
  name = 'PausedIndexes1765009042017';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE TABLE "paused_indexes" ("name" varchar(128) PRIMARY KEY NOT NULL, "definition" text NOT NULL, "paused_at" bigint NOT NULL, "host" text NOT NULL, "pid" integer NOT NULL)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE "paused_indexes"');
  }
}
