import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * `event_intake_lag_minutes`: per minute (its start, ms) and flow, the longest stored-to-acted-on
 * lag and how many events were acted on; flow_id '' is the whole intake. The intake view's "longest
 * lag" is read from the last minutes of it, so it falls back once a backlog has recovered (the
 * all-time `event_intake_flows.max_lag_ms` only ever grew). Keyed by minute first: the consumer
 * prunes minutes older than an hour with a range delete on the key.
 */
export class IntakeLagMinutes1765177042000 implements MigrationInterface {
  name = 'IntakeLagMinutes1765177042000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'event_intake_lag_minutes',
        columns: [
          { name: 'minute', type: 'bigint', isPrimary: true },
          { name: 'flow_id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'max_lag_ms', type: 'bigint' },
          { name: 'events', type: 'bigint' },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('event_intake_lag_minutes');
  }
}
