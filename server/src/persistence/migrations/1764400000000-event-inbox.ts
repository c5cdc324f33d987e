import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The durable event inbox (issue 9).
 * - `customer_events.client_id`: whose idempotency key it is. '' is the system's own namespace
 *   (order events, clicks); API clients and imported event files get their own ('default' until
 *   tokens name the client), so a client key can never collide with a system key.
 * - `event_inbox`: one row per stored event the journey engine has not acted on yet; the engine
 *   deletes it in the same transaction as the enrollments and wake-ups the event causes.
 * - `event_consumers`: the consumer's row (locked FOR UPDATE on PostgreSQL so one process
 *   consumes at a time) and its running totals.
 * - `event_intake_flows`: per-flow intake figures (events matched, enrolled, lag) for the status view.
 */
export class EventInbox1764400000000 implements MigrationInterface {
  name = 'EventInbox1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE customer_events ADD COLUMN client_id varchar(64) NOT NULL DEFAULT ''`);
    // Keys the system writes; everything else was sent by a client before namespaces existed.
    await q.query(`UPDATE customer_events SET client_id = 'default' WHERE idempotency_key NOT LIKE 'order:%' AND idempotency_key NOT LIKE 'click:%'`);
    await q.dropIndex('customer_events', 'uq_customer_events_idempotency_key');
    await q.createIndex('customer_events', new TableIndex({ name: 'uq_customer_events_client_key', columnNames: ['client_id', 'idempotency_key'], isUnique: true }));
    const ms = (name: string, nullable = false) => ({ name, type: 'bigint', isNullable: nullable });
    await q.createTable(new Table({ name: 'event_inbox', columns: [{ name: 'event_id', type: 'integer', isPrimary: true }, ms('received_at')] }));
    await q.createTable(
      new Table({
        name: 'event_consumers',
        columns: [{ name: 'name', type: 'varchar', length: '64', isPrimary: true }, ms('consumed'), ms('batches'), ms('last_event_id', true), ms('last_lag_ms', true), ms('updated_at')],
      }),
    );
    await q.query(`INSERT INTO event_consumers (name, consumed, batches, last_event_id, last_lag_ms, updated_at) VALUES ('journeys', 0, 0, NULL, NULL, 0)`);
    await q.createTable(
      new Table({
        name: 'event_intake_flows',
        columns: [
          { name: 'flow_id', type: 'varchar', length: '64', isPrimary: true },
          ms('matched'),
          ms('enrolled'),
          ms('last_event_id', true),
          ms('last_received_at', true),
          ms('last_consumed_at', true),
          ms('last_lag_ms', true),
          ms('max_lag_ms', true),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['event_intake_flows', 'event_consumers', 'event_inbox']) await q.dropTable(t);
    await q.dropIndex('customer_events', 'uq_customer_events_client_key');
    await q.createIndex('customer_events', new TableIndex({ name: 'uq_customer_events_idempotency_key', columnNames: ['idempotency_key'], isUnique: true }));
    await q.dropColumn('customer_events', 'client_id');
  }
}
