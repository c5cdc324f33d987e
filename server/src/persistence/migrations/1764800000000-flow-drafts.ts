import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Designer drafts (issue 12): what a marketer is drawing, autosaved on the server whatever its
 * problems, so a reload, a crash or another machine gets it back. One draft per flow; the flow
 * file in rules/flows/ and the published versions stay as they were until the draft is published.
 */
export class FlowDrafts1764800000000 implements MigrationInterface {
  name = 'FlowDrafts1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'flow_drafts',
        columns: [
          { name: 'flow_id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'content', type: 'text' },
          { name: 'layout', type: 'text' },
          { name: 'base_version', type: 'integer', isNullable: true },
          { name: 'author', type: 'varchar', length: '128' },
          { name: 'updated_at', type: 'bigint' },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('flow_drafts');
  }
}
