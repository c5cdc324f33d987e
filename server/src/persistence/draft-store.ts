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
  /** Counts the saves of this draft: a save names the revision it was based on (optimistic concurrency). */
  revision: number;
  /**
   * The version of the flow file the drawing was opened from (core/flow/flow-file-version.ts),
   * kept from the draft's first save: a publish of the draft is refused when the file moved on
   * since (a developer's commit), instead of silently writing the old text back. Null: unknown.
   */
  fileVersion: string | null;
  /** The login session (a tag of it, api/designer/draft-saver.ts) that saved it last; null: not known (saved before this was kept). */
  savedSession?: string | null;
  /** The designer tab that saved it last (the id it sent); null: not said. */
  savedTab?: string | null;
}

/** What a conditional save did: saved as `revision`, or refused because the draft is now `current` (null: none). */
export type DraftSave = { saved: true; revision: number } | { saved: false; current: FlowDraft | null };

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

  /** Writes the draft whatever is there (renaming moves a draft to a new id). */
  async put(d: FlowDraft): Promise<void> {
    await executeBatch(this.ds, [
      {
        sql: `INSERT INTO flow_drafts (flow_id, content, layout, base_version, author, updated_at, revision, file_version, saved_session, saved_tab) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
              ON CONFLICT (flow_id) DO UPDATE SET content = excluded.content, layout = excluded.layout, base_version = excluded.base_version, author = excluded.author, updated_at = excluded.updated_at, revision = excluded.revision, file_version = excluded.file_version, saved_session = excluded.saved_session, saved_tab = excluded.saved_tab`,
        params: [d.flowId, JSON.stringify(d.flow), JSON.stringify(d.layout ?? { positions: {} }), d.baseVersion, d.author, d.updatedAt, d.revision, d.fileVersion, d.savedSession ?? null, d.savedTab ?? null],
      },
    ]);
  }

  /**
   * Saves only if the draft is still at `basedOn` (null: there must be no draft yet), in one
   * statement, so two editors cannot both win: the one based on an older revision is refused and
   * nothing of it is written. `fileVersion` is written when the draft starts; a later save keeps
   * the one stored unless it names one (the drawing was opened again from the file).
   */
  async saveIfAt(d: Omit<FlowDraft, 'revision'>, basedOn: number | null): Promise<DraftSave> {
    const content = JSON.stringify(d.flow);
    const layout = JSON.stringify(d.layout ?? { positions: {} });
    const [n] = await executeBatch(this.ds, [
      basedOn === null
        ? {
            sql: `INSERT INTO flow_drafts (flow_id, content, layout, base_version, author, updated_at, revision, file_version, saved_session, saved_tab) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?) ON CONFLICT (flow_id) DO NOTHING`,
            params: [d.flowId, content, layout, d.baseVersion, d.author, d.updatedAt, d.fileVersion, d.savedSession ?? null, d.savedTab ?? null],
          }
        : {
            sql: 'UPDATE flow_drafts SET content = ?, layout = ?, base_version = ?, author = ?, updated_at = ?, revision = revision + 1, file_version = COALESCE(?, file_version), saved_session = ?, saved_tab = ? WHERE flow_id = ? AND revision = ?',
            params: [content, layout, d.baseVersion, d.author, d.updatedAt, d.fileVersion, d.savedSession ?? null, d.savedTab ?? null, d.flowId, basedOn],
          },
    ]);
    if (n > 0) return { saved: true, revision: basedOn === null ? 1 : basedOn + 1 };
    return { saved: false, current: await this.get(d.flowId) };
  }

  /** Who saved the draft last and when (null when there is none): for coalescing its audit entries. */
  async lastSave(flowId: string): Promise<{ author: string; updatedAt: number } | null> {
    const [r] = await queryRows(this.ds, 'SELECT author, updated_at FROM flow_drafts WHERE flow_id = ?', [flowId]);
    return r ? { author: String(r.author), updatedAt: Number(r.updated_at) } : null;
  }

  /**
   * Deletes the draft; false when there was none. With `atRevision`, only that revision of it: a
   * draft saved since (another tab, after this one published) is kept, and false is answered.
   */
  async delete(flowId: string, atRevision?: number): Promise<boolean> {
    const op =
      atRevision === undefined
        ? { sql: 'DELETE FROM flow_drafts WHERE flow_id = ?', params: [flowId] }
        : { sql: 'DELETE FROM flow_drafts WHERE flow_id = ? AND revision = ?', params: [flowId, atRevision] };
    const [n] = await executeBatch(this.ds, [op]);
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
    revision: Number(r.revision),
    fileVersion: r.file_version === null || r.file_version === undefined ? null : String(r.file_version),
    savedSession: r.saved_session === null || r.saved_session === undefined ? null : String(r.saved_session),
    savedTab: r.saved_tab === null || r.saved_tab === undefined ? null : String(r.saved_tab),
  };
}
