import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `enrollments.waiting_for` becomes `text` on PostgreSQL (SQLite never enforced the 256). It holds
 * the event types a waitForEvent node waits for (encoded `|a|b|`, columns.ts), and a flow may list
 * as many types as it likes: a list longer than 256 characters made every step batch holding such
 * a journey fail to commit, tick after tick. An event now wakes a sleeping journey by this column
 * (journey-store.ts wakeOps), so it must hold the whole list. varchar → text needs no table
 * rewrite on PostgreSQL.
 */
export class WaitingForText1765000300000 implements MigrationInterface {
  name = 'WaitingForText1765000300000';

  async up(q: QueryRunner): Promise<void> {
    if (q.connection.options.type === 'postgres') await q.query('ALTER TABLE "enrollments" ALTER COLUMN "waiting_for" TYPE text');
  }

  async down(q: QueryRunner): Promise<void> {
    if (q.connection.options.type === 'postgres') await q.query('ALTER TABLE "enrollments" ALTER COLUMN "waiting_for" TYPE varchar(256)');
  }
}
