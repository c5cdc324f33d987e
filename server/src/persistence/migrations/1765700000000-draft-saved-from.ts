import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where a draft was last saved from: `saved_session`, a tag of the login session (or API token)
 * that saved it (api/designer/draft-saver.ts; never the session's secret), and `saved_tab`, the
 * id the designer's tab sent with the save. A save refused with 409 tells the marketer whether the
 * newer draft came from this tab, another tab of this browser (the same login session), another
 * machine or browser of theirs, or someone else: it was told by username, so the same account on
 * another machine read 你在另一个标签页或窗口里改过. Null: a draft saved before these columns.
 */
export class DraftSavedFrom1765700000000 implements MigrationInterface {
  name = 'DraftSavedFrom1765700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE flow_drafts ADD COLUMN saved_session varchar(64) NULL');
    await q.query('ALTER TABLE flow_drafts ADD COLUMN saved_tab varchar(64) NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE flow_drafts DROP COLUMN saved_tab');
    await q.query('ALTER TABLE flow_drafts DROP COLUMN saved_session');
  }
}
