import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `users.password_one_time`: the account's password is one Rekindle generated and printed (the
 * first start's admin, `rekindle users add` / `users passwd` without --password-stdin, POST
 * /api/users without a password). Such a password sits in a terminal's scroll-back or a chat; it
 * signed in for good until someone remembered to change it. Now it signs in only to replace it
 * (api/auth/one-time-password.ts). Existing accounts: false, as they were.
 */
export class OneTimePassword1765500000000 implements MigrationInterface {
  name = 'OneTimePassword1765500000000';

  async up(q: QueryRunner): Promise<void> {
    const pg = q.connection.options.type === 'postgres';
    await q.query(`ALTER TABLE users ADD COLUMN password_one_time boolean NOT NULL DEFAULT ${pg ? 'false' : '0'}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE users DROP COLUMN password_one_time');
  }
}
