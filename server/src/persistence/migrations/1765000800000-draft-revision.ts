import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Draft revisions: two people editing the same flow each autosave its draft, and the later save
 * silently replaced the earlier one. Each save now names the revision it was based on and a stale
 * one is refused; the revision counts saves of the row (existing drafts start at 1).
 */
export class DraftRevision1765000800000 implements MigrationInterface {
  name = 'DraftRevision1765000800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE flow_drafts ADD COLUMN revision integer NOT NULL DEFAULT 1');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE flow_drafts DROP COLUMN revision');
  }
}
