import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Fact contributions an import has committed but not yet added to `customer_facts` (issue 9,
 * persistence/owed-facts.ts). One row per imported order, appended in the same transaction as the
 * order; settled set-based (one GROUP BY, one pass over the fact rows in customer order) at the
 * import's end and by every reader or writer of facts before it reads or writes them. No index
 * besides the rowid: rows are only appended and, when settled, all deleted at once.
 * `customer_facts_owed_context` (one row): the shop's time zone of the import that owes them (a
 * settled customer without a fact row is recomputed in full from its orders, which needs it) and
 * the import's clock at its last chunk (the settled rows' `updated_at`, so a reader that settles
 * needs no clock of its own).
 * Both dialects have the tables; only the SQLite bulk import path writes rows (PostgreSQL's import
 * adds facts per chunk), so on PostgreSQL they stay empty.
 */
export class CustomerFactsOwed1765009000001 implements MigrationInterface {
  name = 'CustomerFactsOwed1765009000001';

  async up(q: QueryRunner): Promise<void> {
    const pg = q.connection.options.type === 'postgres';
    const id = pg ? '"id" BIGSERIAL PRIMARY KEY' : '"id" INTEGER PRIMARY KEY';
    await q.query(`CREATE TABLE "customer_facts_owed" (${id}, "customer_id" integer NOT NULL, "kind" integer NOT NULL, "amount" ${pg ? 'double precision' : 'real'} NOT NULL,
      "fact_at" bigint, "categories" text, "category_seasons" text, "double11_year" text)`);
    await q.query(`CREATE TABLE "customer_facts_owed_context" ("id" integer PRIMARY KEY, "timezone" text NOT NULL, "owed_at" bigint NOT NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE "customer_facts_owed_context"');
    await q.query('DROP TABLE "customer_facts_owed"');
  }
}
