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

/**
 * "Now" for what an experiment counts after its sends (the report's responders and revenue, a send
 * step's response by group): `experimentReportTime`, and on a simulation (its last step ahead of
 * the clock) up to the newest event of the flow's customers when that is later. A response comes
 * within the window AFTER the message: read as of the last step, a win-back whose SMS is its last
 * step counted none of the orders paid in the 7 days after it, though the simulation had run on
 * and recorded them (walked on 4 Dec 2026: `rekindle report` said resp 0 for an arm whose customer
 * paid 5 days after entering; `--at` a week later said 1). On a live database nothing is ahead of
 * the clock and this is the clock.
 */
export async function experimentResponsesTime(ds: DataSource, flowId: string, now: number): Promise<number> {
  const at = await experimentReportTime(ds, flowId, now);
  if (at <= now) return at;
  const [r] = await queryRows<{ m: number | string | null }>(ds, 'SELECT MAX(e.occurred_at) AS m FROM customer_events e WHERE e.customer_id IN (SELECT customer_id FROM enrollments WHERE flow_id = ?)', [flowId]);
  return r?.m === null || r?.m === undefined ? at : Math.max(at, Number(r.m));
}
