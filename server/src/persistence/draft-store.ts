import type { DataSource } from 'typeorm';
import { executeBatch, queryRows } from './sql-batch.js';

/** A designer draft: the flow as drawn (maybe not valid), its box positions, the version it started from. */
export interface FlowDraft {
  flowId: string;
  flow: unknown;
  layout: unknown;
  /** The published version the draft was started from (null: a flow never published). */
  baseVersion: number | null;
  author: string;
  updatedAt: number;
}

/**
 * Drafts in the shared database (SQLite or PostgreSQL), one per flow: the designer autosaves to
 * them on every change, so work is never lost to a reload, a crash or a change of machine.
 */
export class DraftStore {
  constructor(private readonly ds: DataSource) {}

  async get(flowId: string): Promise<FlowDraft | null> {
    const [r] = await queryRows(this.ds, 'SELECT * FROM flow_drafts WHERE flow_id = ?', [flowId]);
    return r ? toDraft(r) : null;
  }

  async list(): Promise<FlowDraft[]> {
    return (await queryRows(this.ds, 'SELECT * FROM flow_drafts ORDER BY flow_id')).map(toDraft);
  }

  async put(d: FlowDraft): Promise<void> {
    await executeBatch(this.ds, [
      {
        sql: `INSERT INTO flow_drafts (flow_id, content, layout, base_version, author, updated_at) VALUES (?, ?, ?, ?, ?, ?)
              ON CONFLICT (flow_id) DO UPDATE SET content = excluded.content, layout = excluded.layout, base_version = excluded.base_version, author = excluded.author, updated_at = excluded.updated_at`,
        params: [d.flowId, JSON.stringify(d.flow), JSON.stringify(d.layout ?? { positions: {} }), d.baseVersion, d.author, d.updatedAt],
      },
    ]);
  }

  /** Deletes the draft; false when there was none. */
  async delete(flowId: string): Promise<boolean> {
    const [n] = await executeBatch(this.ds, [{ sql: 'DELETE FROM flow_drafts WHERE flow_id = ?', params: [flowId] }]);
    return n > 0;
  }
}

function toDraft(r: Record<string, unknown>): FlowDraft {
  return {
    flowId: String(r.flow_id),
    flow: JSON.parse(String(r.content)),
    layout: JSON.parse(String(r.layout)),
    baseVersion: r.base_version === null ? null : Number(r.base_version),
    author: String(r.author),
    updatedAt: Number(r.updated_at),
  };
}
