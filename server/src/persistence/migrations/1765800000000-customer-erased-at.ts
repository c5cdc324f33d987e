import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `customers.erased_at`: when the customer's personal data was erased at their request (PIPL
 * 删除权, persistence/customer-erase.ts). Set once, never cleared: an erased customer stays in the
 * recycle bin, cannot be restored, and a re-import of the same external id is refused. Null: not erased.
 */
export class CustomerErasedAt1765800000000 implements MigrationInterface {
  name = 'CustomerErasedAt1765800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE customers ADD COLUMN erased_at bigint NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE customers DROP COLUMN erased_at');
  }
}
