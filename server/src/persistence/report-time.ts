import type { DataSource } from 'typeorm';
import { queryRows } from './sql-batch.js';

/**
 * "Now" for an experiment report read without an instant (`rekindle report` without --at,
 * GET /api/experiments/:id/report without ?at=): the wall clock, or the flow's last logged step
 * when that is later. A simulation copy runs in virtual time, often ahead of today (a launch
 * simulated from next April): as of today its journeys, purchases and revenue would not have
 * happened yet and every arm would show 0 assigned. On a live database no step is ahead of the
 * clock. One function for both, so the CLI and the API give the same figures.
 */
export async function experimentReportTime(ds: DataSource, flowId: string, now: number): Promise<number> {
  const [r] = await queryRows<{ m: number | string | null }>(ds, 'SELECT MAX(at) AS m FROM journey_steps WHERE flow_id = ?', [flowId]);
  return r?.m === null || r?.m === undefined ? now : Math.max(now, Number(r.m));
}
