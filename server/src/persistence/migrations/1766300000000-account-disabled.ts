import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `users.disabled_at`: an admin disabled the account (`rekindle users disable`, PATCH
 * /api/users/:username) — it signs nobody in until enabled again, and its sessions ended then.
 * `users.last_sign_in_at`: when it last signed in, for the designer's 账号 page (an account nobody
 * has used for months is one to disable). Existing accounts: enabled, never signed in (as far as
 * the table knows; the audit log's `sign-in` entries say more).
 */
export class AccountDisabled1766300000000 implements MigrationInterface {
  name = 'AccountDisabled1766300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE users ADD COLUMN disabled_at bigint NULL');
    await q.query('ALTER TABLE users ADD COLUMN last_sign_in_at bigint NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE users DROP COLUMN last_sign_in_at');
    await q.query('ALTER TABLE users DROP COLUMN disabled_at');
  }
}
