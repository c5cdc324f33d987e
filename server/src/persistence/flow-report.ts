import type { DataSource } from 'typeorm';
import { queryRows } from './sql-batch.js';

export interface NodeReport {
  nodeId: string;
  outcomes: Record<string, number>;
  /** Enrollments standing at this node now (waiting). */
  waiting: number;
}

export interface FlowRunReport {
  flowId: string;
  enrollments: { active: number; completed: number; exited: number };
  nodes: NodeReport[];
  sends: { channel: string; status: string; reason: string | null; count: number }[];
}

/**
 * What each node of a flow did, counted from the journey log and the send log (not from any
 * in-memory counter), optionally for one version only.
 */
export async function flowRunReport(ds: DataSource, flowId: string, versionId?: number): Promise<FlowRunReport> {
  const vClause = versionId === undefined ? '' : ' AND version_id = ?';
  const vParams = versionId === undefined ? [] : [versionId];
  const outcomes = await queryRows(ds, `SELECT node_id, outcome, COUNT(*) AS n FROM journey_steps WHERE flow_id = ?${vClause} GROUP BY node_id, outcome ORDER BY node_id, outcome`, [flowId, ...vParams]);
  const waiting = await queryRows(ds, `SELECT node_id, COUNT(*) AS n FROM enrollments WHERE flow_id = ? AND status = 'active'${vClause} GROUP BY node_id`, [flowId, ...vParams]);
  const statuses = await queryRows(ds, `SELECT status, COUNT(*) AS n FROM enrollments WHERE flow_id = ?${vClause} GROUP BY status`, [flowId, ...vParams]);
  const sends = await queryRows(ds, `SELECT channel, status, reason, COUNT(*) AS n FROM sends WHERE flow_id = ?${vClause} GROUP BY channel, status, reason ORDER BY channel, status, reason`, [flowId, ...vParams]);
  const nodes = new Map<string, NodeReport>();
  const node = (id: string) => nodes.get(id) ?? nodes.set(id, { nodeId: id, outcomes: {}, waiting: 0 }).get(id)!;
  for (const r of outcomes) node(String(r.node_id)).outcomes[String(r.outcome)] = Number(r.n);
  for (const r of waiting) node(String(r.node_id)).waiting = Number(r.n);
  const en = { active: 0, completed: 0, exited: 0 } as FlowRunReport['enrollments'];
  for (const r of statuses) en[r.status as keyof typeof en] = Number(r.n);
  return { flowId, enrollments: en, nodes: [...nodes.values()], sends: sends.map((r) => ({ channel: String(r.channel), status: String(r.status), reason: (r.reason as string | null) ?? null, count: Number(r.n) })) };
}
