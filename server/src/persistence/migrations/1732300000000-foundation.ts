import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Customers, orders, customer events and the per-customer fact table (issue 2). */
export class Foundation1732300000000 implements MigrationInterface {
  name = 'Foundation1732300000000';

  async up(q: QueryRunner): Promise<void> {
    const id = { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' as const };
    const ms = (name: string, nullable = false) => ({ name, type: 'bigint', isNullable: nullable });
    const text = (name: string, length = 64, nullable = true) => ({ name, type: 'varchar', length: String(length), isNullable: nullable });

    await q.createTable(
      new Table({
        name: 'customers',
        columns: [
          id,
          text('external_id', 128, false),
          text('name', 200),
          text('phone', 64),
          text('email', 320),
          text('wechat_id', 128),
          text('province'),
          text('city'),
          text('device', 16),
          { name: 'tags', type: 'text' },
          { name: 'consent', type: 'text' },
          { name: 'attributes', type: 'text' },
          ms('created_at'),
          ms('updated_at'),
          ms('deleted_at', true),
        ],
        indices: [
          new TableIndex({ name: 'uq_customers_external_id', columnNames: ['external_id'], isUnique: true }),
          new TableIndex({ name: 'ix_customers_deleted_at', columnNames: ['deleted_at'] }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'orders',
        columns: [
          id,
          text('external_id', 128, false),
          { name: 'customer_id', type: 'integer' },
          text('status', 16, false),
          { name: 'amount', type: 'double precision' },
          ms('created_at'),
          ms('paid_at', true),
          text('promotion'),
          { name: 'items', type: 'text' },
          ms('updated_at'),
        ],
        indices: [
          new TableIndex({ name: 'uq_orders_external_id', columnNames: ['external_id'], isUnique: true }),
          new TableIndex({ name: 'ix_orders_customer_id', columnNames: ['customer_id'] }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'customer_events',
        columns: [
          id,
          { name: 'customer_id', type: 'integer' },
          text('type', 64, false),
          { name: 'properties', type: 'text' },
          ms('occurred_at'),
          text('idempotency_key', 200, false),
          ms('received_at'),
        ],
        indices: [
          new TableIndex({ name: 'uq_customer_events_idempotency_key', columnNames: ['idempotency_key'], isUnique: true }),
          new TableIndex({ name: 'ix_customer_events_customer_type', columnNames: ['customer_id', 'type', 'occurred_at'] }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'customer_facts',
        columns: [
          { name: 'customer_id', type: 'integer', isPrimary: true },
          { name: 'order_count', type: 'integer' },
          { name: 'total_spent', type: 'double precision' },
          ms('first_order_at', true),
          ms('last_order_at', true),
          { name: 'unpaid_order_count', type: 'integer' },
          ms('last_unpaid_at', true),
          { name: 'categories', type: 'text' },
          { name: 'category_seasons', type: 'text' },
          { name: 'double11_years', type: 'text' },
          text('province'),
          text('city'),
          text('device', 16),
          { name: 'tags', type: 'text' },
          { name: 'consent_sms', type: 'boolean', isNullable: true },
          { name: 'consent_email', type: 'boolean', isNullable: true },
          { name: 'consent_wechat', type: 'boolean', isNullable: true },
          { name: 'consent_wangwang', type: 'boolean', isNullable: true },
          { name: 'consent_push', type: 'boolean', isNullable: true },
          ms('updated_at'),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['customer_facts', 'customer_events', 'orders', 'customers']) await q.dropTable(t);
  }
}
