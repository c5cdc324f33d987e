import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The coupon ledger (issue 13): every code issued with a message, to whom, by which journey,
 * what it is worth and until when; redemption (matched from an imported order's `coupon`) sets
 * redeemed_at / redeemed_order.
 */
export class Coupons1764600000000 implements MigrationInterface {
  name = 'Coupons1764600000000';

  async up(q: QueryRunner): Promise<void> {
    const str = (name: string, length = 64, nullable = false) => ({ name, type: 'varchar', length: String(length), isNullable: nullable });
    const big = (name: string, nullable = false) => ({ name, type: 'bigint', isNullable: nullable });
    await q.createTable(
      new Table({
        name: 'coupons',
        columns: [
          { ...str('code', 32), isPrimary: true },
          str('template_id'),
          { name: 'customer_id', type: 'integer' },
          str('flow_id', 64, true),
          { name: 'enrollment_id', type: 'integer', isNullable: true },
          str('journey_key', 200, true),
          str('send_key', 200),
          { name: 'amount', type: 'double precision' },
          { name: 'min_spend', type: 'double precision' },
          big('issued_at'),
          big('expires_at'),
          big('redeemed_at', true),
          str('redeemed_order', 128, true),
        ],
      }),
    );
    await q.createIndex('coupons', new TableIndex({ name: 'coupons_send_key', columnNames: ['send_key'], isUnique: true }));
    await q.createIndex('coupons', new TableIndex({ name: 'coupons_customer', columnNames: ['customer_id', 'expires_at'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('coupons');
  }
}
