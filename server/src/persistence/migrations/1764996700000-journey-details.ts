import type { MigrationInterface, QueryRunner } from 'typeorm';
import { expandDetail, partKeys } from '../journey-details.js';

/**
 * Shared journey-log details, stored once (issue 10). A rule's "why" (the facts it read and each
 * condition's result) is the same text for every customer alike in those facts, and a Double-11
 * switch logs eight of them per customer: ~2.7 KB a log row, most of a simulated campaign's
 * writes. Such a detail is now stored once in `journey_details`, keyed by a hash of its text, and
 * the log row names it in `detail_key` (its own `detail` stays NULL). Old rows keep their inline
 * detail; readers take `COALESCE(s.detail, d.detail)` (journey-report.ts).
 */
export class JourneyDetails1764996700000 implements MigrationInterface {
  name = 'JourneyDetails1764996700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE TABLE "journey_details" ("key" varchar(64) PRIMARY KEY NOT NULL, "detail" text NOT NULL)');
    await q.query('ALTER TABLE "journey_steps" ADD COLUMN "detail_key" varchar(64)');
  }

  async down(q: QueryRunner): Promise<void> {
    // A shared detail may name parts stored as rows of their own (journey-details.ts `$part`):
    // put them back into it first, or the log rows below would copy references to a dropped table.
    const withParts = (await q.query(`SELECT "key", "detail" FROM "journey_details" WHERE "detail" LIKE '%"$part"%'`)) as { key: string; detail: string }[];
    if (withParts.length > 0) {
      const [p1, p2] = q.connection.options.type === 'postgres' ? ['$1', '$2'] : ['?', '?'];
      const parsed = withParts.map((r) => JSON.parse(r.detail) as unknown);
      const keys = new Set<string>();
      for (const d of parsed) partKeys(d, keys);
      const parts = new Map<string, Record<string, unknown>>();
      for (const key of keys) {
        const [row] = (await q.query(`SELECT "detail" FROM "journey_details" WHERE "key" = ${p1}`, [key])) as { detail: string }[];
        if (row) parts.set(key, JSON.parse(row.detail) as Record<string, unknown>);
      }
      for (const [i, r] of withParts.entries()) await q.query(`UPDATE "journey_details" SET "detail" = ${p1} WHERE "key" = ${p2}`, [JSON.stringify(expandDetail(parsed[i], parts)), r.key]);
    }
    await q.query('UPDATE "journey_steps" SET "detail" = (SELECT d."detail" FROM "journey_details" d WHERE d."key" = "journey_steps"."detail_key") WHERE "detail_key" IS NOT NULL');
    await q.query('ALTER TABLE "journey_steps" DROP COLUMN "detail_key"');
    await q.query('DROP TABLE "journey_details"');
  }
}
