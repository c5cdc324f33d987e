import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Cheaper index writes for the stepper (issue 10). Every step writes a journey_steps row, and its
 * `(flow_id, node_id, outcome)` index took each new row into the middle of the index (one spot per
 * node and outcome): on SQLite that index cost more than the row and the other two indexes
 * together. `(flow_id, at)` takes the rows of a running flow at its end (the log is written in
 * time order) and still serves what read it: a flow's report (WHERE flow_id = ?) and a limit
 * node's first count (flow_id = ? AND at >= ?).
 * `uq_sends_link_token` only holds sends that carry a link (most have none); a lookup by token
 * (`link_token = ?`) implies NOT NULL, so it still uses the index.
 */
export class SteppingIndexes1764990000000 implements MigrationInterface {
  name = 'SteppingIndexes1764990000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX "ix_journey_steps_flow_node"');
    await q.query('CREATE INDEX "ix_journey_steps_flow_at" ON "journey_steps" ("flow_id", "at")');
    await q.query('DROP INDEX "uq_sends_link_token"');
    await q.query('CREATE UNIQUE INDEX "uq_sends_link_token" ON "sends" ("link_token") WHERE "link_token" IS NOT NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX "uq_sends_link_token"');
    await q.query('CREATE UNIQUE INDEX "uq_sends_link_token" ON "sends" ("link_token")');
    await q.query('DROP INDEX "ix_journey_steps_flow_at"');
    await q.query('CREATE INDEX "ix_journey_steps_flow_node" ON "journey_steps" ("flow_id", "node_id", "outcome")');
  }
}
