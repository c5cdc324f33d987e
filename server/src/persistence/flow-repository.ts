import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { FlowVersion } from '../core/engine/model.js';
import type { FlowCatalog, PublishedFlow } from '../core/engine/ports.js';
import type { Flow } from '../core/flow/schema.js';
import { executeBatch, inChunks, placeholders, queryRows } from './sql-batch.js';

export type FlowStatus = 'active' | 'paused' | 'stopped';

/** JSON with sorted keys: the same flow always hashes the same, whatever the key order in the file. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

export function flowHash(flow: Flow): string {
  return createHash('sha256').update(canonicalJson(flow)).digest('hex');
}

export interface FlowSummary {
  flowId: string;
  status: FlowStatus;
  currentVersion: number | null;
  versions: { id: number; version: number; hash: string; publishedAt: number; author: string }[];
}

export class FlowLifecycleError extends Error {}

/**
 * Published flows and their immutable versions. Publishing the same content again returns the
 * existing version; any change makes a new one. Customers stay on the version they entered.
 */
export class FlowRepository implements FlowCatalog {
  /** Parsed versions by id: a version never changes once published, so the cache is always right. */
  private readonly versionCache = new Map<number, FlowVersion>();

  constructor(private readonly ds: DataSource) {}

  /** `restarted`: the same content published again brought a stopped flow back to active. */
  async publish(flow: Flow, author: string, now: number): Promise<{ version: FlowVersion; created: boolean; restarted: boolean }> {
    const hash = flowHash(flow);
    const [latest] = await queryRows(this.ds, 'SELECT id, version, hash FROM flow_versions WHERE flow_id = ? ORDER BY version DESC LIMIT 1', [flow.id]);
    const [existing] = await queryRows(this.ds, 'SELECT status FROM flows WHERE id = ?', [flow.id]);
    if (latest && latest.hash === hash) {
      const restarted = !existing || existing.status === 'stopped';
      if (restarted) await this.setStatus(flow.id, 'active', now, Number(latest.id));
      return { version: await this.version(Number(latest.id)), created: false, restarted };
    }
    const next = latest ? Number(latest.version) + 1 : 1;
    await executeBatch(this.ds, [
      { sql: 'INSERT INTO flow_versions (flow_id, version, hash, content, published_at, author) VALUES (?, ?, ?, ?, ?, ?)', params: [flow.id, next, hash, JSON.stringify(flow), now, author] },
    ]);
    const [row] = await queryRows(this.ds, 'SELECT id FROM flow_versions WHERE flow_id = ? AND version = ?', [flow.id, next]);
    const keepPaused = existing?.status === 'paused';
    await this.setStatus(flow.id, keepPaused ? 'paused' : 'active', now, Number(row.id));
    return { version: await this.version(Number(row.id)), created: true, restarted: false };
  }

  private async setStatus(flowId: string, status: FlowStatus, now: number, versionId?: number): Promise<void> {
    const [existing] = await queryRows(this.ds, 'SELECT id FROM flows WHERE id = ?', [flowId]);
    if (existing) {
      await executeBatch(this.ds, [
        versionId === undefined
          ? { sql: 'UPDATE flows SET status = ?, updated_at = ? WHERE id = ?', params: [status, now, flowId] }
          : { sql: 'UPDATE flows SET status = ?, current_version_id = ?, updated_at = ? WHERE id = ?', params: [status, versionId, now, flowId] },
      ]);
    } else {
      await executeBatch(this.ds, [{ sql: 'INSERT INTO flows (id, status, current_version_id, last_run_at, updated_at) VALUES (?, ?, ?, NULL, ?)', params: [flowId, status, versionId ?? null, now] }]);
    }
  }

  private async requireStatus(flowId: string): Promise<FlowStatus> {
    const [row] = await queryRows(this.ds, 'SELECT status FROM flows WHERE id = ?', [flowId]);
    if (!row) throw new FlowLifecycleError(`flow "${flowId}" is not published`);
    return row.status as FlowStatus;
  }

  /** Paused: nobody enters and nobody moves; waiting customers keep their place. */
  async pause(flowId: string, now: number): Promise<void> {
    const s = await this.requireStatus(flowId);
    if (s === 'stopped') throw new FlowLifecycleError(`flow "${flowId}" is stopped; publish it to start it again`);
    await this.setStatus(flowId, 'paused', now);
  }

  async resume(flowId: string, now: number): Promise<void> {
    const s = await this.requireStatus(flowId);
    if (s === 'stopped') throw new FlowLifecycleError(`flow "${flowId}" is stopped; publish it to start it again`);
    await this.setStatus(flowId, 'active', now);
  }

  /** Stopped: every journey in the flow ends now (logged as exited: flow-stopped). */
  async stop(flowId: string, now: number): Promise<number> {
    await this.requireStatus(flowId);
    await executeBatch(this.ds, [
      {
        sql: `INSERT INTO journey_steps (enrollment_id, customer_id, flow_id, version_id, node_id, at, outcome, detail)
              SELECT id, customer_id, flow_id, version_id, node_id, ?, 'exited:flow-stopped', NULL FROM enrollments WHERE flow_id = ? AND status = 'active'`,
        params: [now, flowId],
      },
    ]);
    const [n] = await executeBatch(this.ds, [
      { sql: `UPDATE enrollments SET status = 'exited', exit_reason = 'flow-stopped', wake_at = NULL, updated_at = ? WHERE flow_id = ? AND status = 'active'`, params: [now, flowId] },
    ]);
    await this.setStatus(flowId, 'stopped', now);
    return n;
  }

  async version(id: number): Promise<FlowVersion> {
    const [r] = await queryRows(this.ds, 'SELECT * FROM flow_versions WHERE id = ?', [id]);
    if (!r) throw new Error(`flow version ${id} does not exist`);
    return versionOf(r);
  }

  /**
   * Every published version (FlowCatalog.versions): one read of the ids, and the content of those
   * not yet seen in one more read, each parsed once per repository (the event intake asks for them
   * on every batch; versions are only ever added, never changed or removed).
   */
  async versions(): Promise<FlowVersion[]> {
    const ids = (await queryRows(this.ds, 'SELECT id FROM flow_versions ORDER BY id')).map((r) => Number(r.id));
    const missing = ids.filter((id) => !this.versionCache.has(id));
    await inChunks(missing, async (chunk) => {
      for (const r of await queryRows(this.ds, `SELECT * FROM flow_versions WHERE id IN (${placeholders(chunk.length)})`, chunk)) this.versionCache.set(Number(r.id), versionOf(r));
      return [];
    });
    return ids.map((id) => this.versionCache.get(id)!);
  }

  /** The version a flow runs (or would run, paused or stopped), null for one never published. */
  async liveVersion(flowId: string): Promise<FlowVersion | null> {
    const [r] = await queryRows(this.ds, 'SELECT current_version_id FROM flows WHERE id = ?', [flowId]);
    return r && r.current_version_id !== null ? this.version(Number(r.current_version_id)) : null;
  }

  async published(): Promise<PublishedFlow[]> {
    const rows = await queryRows(this.ds, 'SELECT id, status, current_version_id, last_run_at FROM flows WHERE current_version_id IS NOT NULL ORDER BY id');
    const out: PublishedFlow[] = [];
    for (const r of rows) {
      out.push({ flowId: String(r.id), status: r.status as FlowStatus, version: await this.version(Number(r.current_version_id)), lastRunAt: r.last_run_at === null ? null : Number(r.last_run_at) });
    }
    return out;
  }

  async markRun(flowId: string, at: number): Promise<void> {
    await executeBatch(this.ds, [{ sql: 'UPDATE flows SET last_run_at = ? WHERE id = ?', params: [at, flowId] }]);
  }

  async list(): Promise<FlowSummary[]> {
    const flows = await queryRows(this.ds, 'SELECT f.id, f.status, v.version AS current_version FROM flows f LEFT JOIN flow_versions v ON v.id = f.current_version_id ORDER BY f.id');
    const versions = await queryRows(this.ds, 'SELECT id, flow_id, version, hash, published_at, author FROM flow_versions ORDER BY flow_id, version');
    return flows.map((f) => ({
      flowId: String(f.id),
      status: f.status as FlowStatus,
      currentVersion: f.current_version === null ? null : Number(f.current_version),
      versions: versions
        .filter((v) => v.flow_id === f.id)
        .map((v) => ({ id: Number(v.id), version: Number(v.version), hash: String(v.hash), publishedAt: Number(v.published_at), author: String(v.author) })),
    }));
  }
}

function versionOf(r: Record<string, unknown>): FlowVersion {
  return { id: Number(r.id), flowId: String(r.flow_id), version: Number(r.version), hash: String(r.hash), flow: JSON.parse(String(r.content)), publishedAt: Number(r.published_at), author: String(r.author) };
}
