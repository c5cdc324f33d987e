import { randomUUID } from 'node:crypto';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `shop_identity`: one row naming this database's shop (a random UUID drawn when the table is
 * made). A stepping job carries its planner's shop id, so a `rekindle worker` whose DATABASE_URL
 * points at another database than its planner's is told so and gives the job back
 * (workers/shop-check.ts): it took the planner's jobs and stepped nothing in them, since none of
 * their enrollment ids was due in its own database, and said nothing. A copy of the database
 * (a backup restored, a simulation's copy) is the same shop and keeps the id.
 */
export class ShopIdentity1765300000000 implements MigrationInterface {
  name = 'ShopIdentity1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE TABLE shop_identity (id varchar(36) PRIMARY KEY NOT NULL, created_at bigint NOT NULL)');
    // A literal, not a parameter: SQLite and PostgreSQL spell placeholders differently, and the value is ours.
    await q.query(`INSERT INTO shop_identity (id, created_at) VALUES ('${randomUUID()}', ${Date.now()})`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE shop_identity');
  }
}
