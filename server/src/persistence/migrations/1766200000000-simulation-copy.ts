import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `simulation_copy`: a row for each simulation `rekindle simulate --copy-of` (or the designer's 模拟)
 * ran in this database, naming the flow and the virtual period. A row makes the database a
 * simulation's copy of the shop: a server, worker or scheduler opened on it sends nothing and moves
 * no journey (runtime/simulation-copy-hold.ts). The copy holds the real customers' phones and
 * e-mails and the simulation's queued messages and waiting journeys, due as real time passes. The
 * live database never has a row, so the table is empty there.
 */
export class SimulationCopy1766200000000 implements MigrationInterface {
  name = 'SimulationCopy1766200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE TABLE simulation_copy (flow_id varchar(255) NOT NULL, from_at bigint NOT NULL, to_at bigint NOT NULL, marked_at bigint NOT NULL)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE simulation_copy');
  }
}
