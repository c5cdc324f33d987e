import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `flow_drafts.file_version`: the version of rules/flows/<id>.flow.yaml (core/flow/flow-file-version.ts)
 * the draft was drawn from. A developer's commit to the file while a marketer's draft was open was
 * silently undone when the draft was published (the designer writes the whole file); the publish
 * is now refused when the file moved on since this version. Null: a draft from before this column
 * (or of a journey without a file), which nothing is checked against.
 */
export class DraftFileVersion1765400000000 implements MigrationInterface {
  name = 'DraftFileVersion1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE flow_drafts ADD COLUMN file_version varchar(16) NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE flow_drafts DROP COLUMN file_version');
  }
}
