import type { DataSource } from 'typeorm';
import { IN_CHUNK, queryRows } from './sql-batch.js';

/**
 * "Now" for an experiment report read without an instant (`rekindle report` without --at,
 * GET /api/experiments/:id/report without ?at=): the wall clock, or the flow's last logged step
 * when that is later. A simulation copy runs in virtual time, often ahead of today (a launch
 * simulated from next April): as of today its journeys, purchases and revenue would not have
 * happened yet and every arm would show 0 assigned. On a live database no step is ahead of the
 * clock. One function for both, so the CLI and the API give the same figures.
 */
export async function experimentReportTime(ds: DataSource, flowId: string, now: number): Promise<number> {
  return (await experimentReportTimes(ds, [flowId], now)).get(flowId) ?? now;
}

/**
 * experimentReportTime for many flows at once (the journeys home reads one per listed flow): one
 * statement per IN_CHUNK flows instead of one a flow awaited in turn. Each flow's last step is a
 * correlated MAX over ix_journey_steps_flow_at, which both SQLite and PostgreSQL answer by seeking
 * the last index entry of the flow. `… WHERE flow_id IN (…) GROUP BY flow_id` would be one
 * statement too, but neither planner skips within a group: it reads every step of every listed
 * flow (millions on a Double 11 database) to find each maximum: on SQLite, 2M steps over four
 * flows, 102 ms for three flows against 0.03 ms correlated.
 */
export async function experimentReportTimes(ds: DataSource, flowIds: readonly string[], now: number): Promise<Map<string, number>> {
  const ids = [...new Set(flowIds)];
  const out = new Map<string, number>();
  for (let i = 0; i < ids.length; i += IN_CHUNK) {
    const chunk = ids.slice(i, i + IN_CHUNK);
    // VALUES names its column column1 on both dialects; the CAST gives PostgreSQL the parameters' type.
    const rows = await queryRows<{ flow_id: string; m: number | string | null }>(
      ds,
      `SELECT f.column1 AS flow_id, (SELECT MAX(s.at) FROM journey_steps s WHERE s.flow_id = f.column1) AS m FROM (VALUES ${chunk.map(() => '(CAST(? AS TEXT))').join(', ')}) AS f`,
      chunk,
    );
    for (const r of rows) out.set(String(r.flow_id), r.m === null || r.m === undefined ? now : Math.max(now, Number(r.m)));
  }
  for (const id of ids) if (!out.has(id)) out.set(id, now);
  return out;
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
  const end = await simulationEnd(ds, flowId);
  const at = await experimentReportTime(ds, flowId, now);
  if (at <= now) return end === null ? at : Math.min(end, at);
  const [r] = await queryRows<{ m: number | string | null }>(ds, 'SELECT MAX(e.occurred_at) AS m FROM customer_events e WHERE e.customer_id IN (SELECT customer_id FROM enrollments WHERE flow_id = ?)', [flowId]);
  const latest = r?.m === null || r?.m === undefined ? at : Math.max(at, Number(r.m));
  return end === null ? latest : Math.min(end, latest);
}

/**
 * On a simulation's copy, the end of the simulation a flow's figures are read by (`<flow>~simulated`,
 * runtime/simulated-flow.ts; `~` is in no flow's own id), else null. Its reports stop there, as
 * `rekindle simulate` and the designer's 模拟 do (simulated-experiments.ts): a simulation of a past
 * week read as of today also counted the copied shop's real orders paid after the week
 * (`rekindle simulate` said 44 of 51 responded, `rekindle report` on its copy 46 of 51).
 */
async function simulationEnd(ds: DataSource, flowId: string): Promise<number | null> {
  const cut = flowId.indexOf('~');
  if (cut <= 0) return null;
  const [r] = await queryRows<{ to_at: number | string }>(ds, 'SELECT to_at FROM simulation_copy WHERE flow_id = ? ORDER BY marked_at DESC, to_at DESC', [flowId.slice(0, cut)]);
  return r ? Number(r.to_at) : null;
}
