import type { DataSource } from 'typeorm';
import type { Flow } from '../core/flow/schema.js';
import { queryRows } from './sql-batch.js';

/** A journey that runs (or is paused), with the version it runs. */
export interface LiveFlowVersion {
  flowId: string;
  status: string;
  version: number;
  flow: Flow;
}

/**
 * The journeys live now, active or paused, each with its current version's content (as published:
 * what the engine runs, not the file under rules/flows/), a simulation's own flows among them.
 */
export async function liveFlowVersions(ds: DataSource): Promise<LiveFlowVersion[]> {
  const rows = await queryRows<{ id: string; status: string; version: number | string; content: string }>(
    ds,
    `SELECT f.id, f.status, v.version, v.content FROM flows f JOIN flow_versions v ON v.id = f.current_version_id WHERE f.status IN ('active', 'paused') ORDER BY f.id`,
  );
  return rows.map((r) => ({ flowId: r.id, status: r.status, version: Number(r.version), flow: JSON.parse(String(r.content)) as Flow }));
}
