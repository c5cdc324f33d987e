import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * `consumed_events`: when the journey engine acted on each stored event (the intake batch that
 * took it out of `event_inbox`, written in the same transaction). The engine decides an event's
 * entries by the flows as they stand when it acts on it, not when the event arrived; `rekindle
 * explain` reads this to judge a missed entry by the same moment (persistence/missed-entry-report.ts).
 * Events consumed before this table existed have no row: they are judged by their arrival.
 */
export class ConsumedEvents1765640100000 implements MigrationInterface {
  name = 'ConsumedEvents1765640100000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'consumed_events',
        columns: [
          { name: 'event_id', type: 'integer', isPrimary: true },
          { name: 'consumed_at', type: 'bigint' },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('consumed_events');
  }
}
