import type { MigrationInterface, QueryRunner } from 'typeorm';
import { decideWinner, type ExperimentReport } from '../../core/experiment/report.js';
import { toPgPlaceholders } from '../sql-batch.js';

/**
 * Gives the test-then-roll-out decisions recorded before decisions had codes (1765001900000 added
 * `code` and `figures`, null on the rows already there) their code and figures, once. Until now
 * experiment-store.ts derived them on every read by deciding the stored report again; it now reads
 * the stored code only. A row gets a code when deciding its stored report again gives the very arm
 * and reason recorded; else it keeps null (the reason alone: never a code the server did not
 * make), as does a report stored before it had every figure the decision reads.
 *
 * Down does nothing: the codes are what those decisions were, and the reader before this one
 * reads a stored code first as well.
 */
export class DecisionCodesBackfill1765002530000 implements MigrationInterface {
  name = 'DecisionCodesBackfill1765002530000';

  async up(q: QueryRunner): Promise<void> {
    const pg = q.connection.options.type === 'postgres';
    const rows = (await q.query('SELECT flow_id, node_id, arm, reason, report FROM experiment_decisions WHERE code IS NULL')) as Record<string, unknown>[];
    for (const r of rows) {
      const arm = String(r.arm);
      let again;
      try {
        again = decideWinner(JSON.parse(String(r.report)) as ExperimentReport, arm);
      } catch {
        continue; // a report without every figure decideWinner reads: the reason alone
      }
      if (again.arm !== arm || again.reason !== String(r.reason)) continue;
      const sql = 'UPDATE experiment_decisions SET code = ?, figures = ? WHERE flow_id = ? AND node_id = ? AND code IS NULL';
      await q.query(pg ? toPgPlaceholders(sql) : sql, [again.code, JSON.stringify(again.figures), r.flow_id, r.node_id]);
    }
  }

  async down(): Promise<void> {
    // Nothing to undo (see above).
  }
}
