import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `sends.clicked_at`: when the message's tracked link was first clicked (real clicks through
 * `/r/:token`, and the simulated channel's). The funnel's "clicked" per send step and the send
 * log export read it, instead of matching every click event's JSON to its send.
 */
export class SendClickedAt1765002100000 implements MigrationInterface {
  name = 'SendClickedAt1765002100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE "sends" ADD COLUMN "clicked_at" bigint');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE "sends" DROP COLUMN "clicked_at"');
  }
}
