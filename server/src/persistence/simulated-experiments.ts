import type { DataSource } from 'typeorm';
import type { Flow } from '../core/flow/schema.js';
import { experimentReport } from './experiment-store.js';
import { experimentResponsesTime } from './report-time.js';

export type SimulatedExperiments = Record<string, Awaited<ReturnType<typeof experimentReport>> & { flowId: string }>;

/**
 * Each experiment split's report at the end of a simulation (split node id → report), named by the
 * flow's own id though it ran under `runId` (runtime/simulated-flow.ts). As of the instant a
 * server, the CLI or a CSV on a copy of this run read it as of (report-time.ts: the flow's last
 * step or its customers' newest event), never after the end (nothing simulated is stamped later).
 * As of the end itself, the designer's panel said 数据截至 10:00 where the copy's report, products
 * and CSV said 09:58 of the same run (or 10:44, when simulated events still fell past the end).
 * The designer's 模拟 and `rekindle simulate` read the same reports, so their incremental effect
 * (core/experiment/incremental-effect.ts) is of the same figures.
 */
export async function simulatedExperiments(ds: DataSource, runId: string, flow: Flow, from: number, to: number): Promise<SimulatedExperiments> {
  const experiments: SimulatedExperiments = {};
  const splits = flow.nodes.filter((n) => n.type === 'split' && n.experiment);
  if (!splits.length) return experiments;
  const asOf = Math.min(to, await experimentResponsesTime(ds, runId, from));
  for (const n of splits) if (n.type === 'split') experiments[n.id] = { ...(await experimentReport(ds, runId, n, asOf)), flowId: flow.id };
  return experiments;
}
