import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * customer_facts.double11_order_count (issue 13): paid Double-11 orders, so "bought only at
 * Double 11" is a rule (nonDouble11OrderCount = 0). Existing rows start at 0 and get their count
 * when their facts are next refreshed (an import touching the customer, or a fresh demo shop).
 */
export class Double11Orders1764900000000 implements MigrationInterface {
  name = 'Double11Orders1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('customer_facts', new TableColumn({ name: 'double11_order_count', type: 'integer', default: 0 }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('customer_facts', 'double11_order_count');
  }
}
