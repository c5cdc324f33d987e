import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `coupons.voided`: why a ledger coupon no longer counts as issued or held ("failed": its message
 * was never delivered; "blocked": held back at dispatch). The customer never saw the code, so it
 * is not theirs to use: held() leaves it out and an order naming it redeems nothing. Null: valid.
 */
export class CouponVoided1765002300000 implements MigrationInterface {
  name = 'CouponVoided1765002300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE "coupons" ADD COLUMN "voided" varchar(16)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE "coupons" DROP COLUMN "voided"');
  }
}
