import { z } from 'zod';
import { RecordedDecisionSchema } from '../../core/experiment/winner-decision.js';

/**
 * GET /api/experiments/:id/report's JSON as OpenAPI documents it: the ids and the recorded
 * test-then-roll-out decision with its machine-readable `code` and `figures` (programs switch on
 * the code, never on the English `reason`); the per-arm figures, tests and warnings as
 * core/experiment/report.ts builds them (docs/experiments.md).
 */
export const ReportResponseSchema = z.looseObject({
  experimentId: z.string(),
  flowId: z.string(),
  nodeId: z.string(),
  decision: RecordedDecisionSchema.nullable().describe('a test split\'s recorded decision; null before it decided (or without test:)'),
});
