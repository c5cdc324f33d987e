import type { DataSource } from 'typeorm';
import type { PublishRequestSummary } from '../core/flow/publish-request-summary.js';
import { forDialect, rows } from './outbox-sql.js';
import { executeBatch, queryRows } from './sql-batch.js';
import { statementTransaction } from './write-transaction.js';

export type PublishRequestStatus = 'pending' | 'approved' | 'rejected' | 'withdrawn' | 'replaced';

/** A journey asked to go live, as it was asked (rules/shop.yaml `approval: {publish: true}`). */
export interface PublishRequest {
  id: number;
  flowId: string;
  /** The journey as drawn (the flow file as JSON); null: the file on disk as it was at `fileVersion`. */
  flow: unknown;
  layout: unknown;
  /** A journey that has no file yet (its first publish). */
  isNew: boolean;
  /** The flow file's version the request is based on; approving refuses when the file moved on since. */
  fileVersion: string | null;
  /** What the approver is shown beside the journey: its name, entry, steps, messages (core/flow/publish-request-summary.ts). */
  summary: PublishRequestSummary;
  requestedBy: string;
  requestedAt: number;
  note: string | null;
  status: PublishRequestStatus;
  decidedBy: string | null;
  decidedAt: number | null;
  /** Why it was rejected (the approver's words). */
  reason: string | null;
  /** The version published by the approval. */
  version: number | null;
}

export type NewPublishRequest = Pick<PublishRequest, 'flowId' | 'flow' | 'layout' | 'isNew' | 'fileVersion' | 'summary' | 'requestedBy' | 'requestedAt' | 'note'>;

const COLUMNS = 'id, flow_id, flow, layout, is_new, file_version, summary, requested_by, requested_at, note, status, decided_by, decided_at, reason, version';

/**
 * Publish requests in the shared database. A decision is one conditional UPDATE (`WHERE status =
 * 'pending'`), so two admins approving at once, or an approval racing a withdrawal, cannot both win.
 */
export class PublishRequestStore {
  constructor(private readonly ds: DataSource) {}

  /**
   * Stores a pending request; an older pending request for the same journey is replaced by it (one journey, one
   * question). Both in one transaction, and the row comes back from its own INSERT: read back afterwards by journey,
   * a request a moment later for the same journey could have been answered in its place.
   */
  async add(r: NewPublishRequest): Promise<PublishRequest & { replaced: { id: number; requestedBy: string }[] }> {
    const { replaced, row } = await statementTransaction(this.ds, async (m) => {
      // Which request it replaced, and whose: a marketer asking again replaces a colleague's request
      // too, which the audit did not say (admin walkthrough: #4 of chen's was gone, by li.na, untraced).
      const replaced = await rows<Record<string, unknown>>(this.ds, m, "UPDATE publish_requests SET status = 'replaced', decided_by = ?, decided_at = ? WHERE flow_id = ? AND status = 'pending' RETURNING id, requested_by", [r.requestedBy, r.requestedAt, r.flowId]);
      const [row] = await rows<Record<string, unknown>>(
        this.ds,
        m,
        `INSERT INTO publish_requests (flow_id, flow, layout, is_new, file_version, summary, requested_by, requested_at, note, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending') RETURNING ${COLUMNS}`,
        [r.flowId, r.flow === null ? null : JSON.stringify(r.flow), r.layout === null || r.layout === undefined ? null : JSON.stringify(r.layout), r.isNew ? 1 : 0, r.fileVersion, JSON.stringify(r.summary), r.requestedBy, r.requestedAt, r.note],
      );
      return { replaced, row };
    });
    return { ...toRequest(row), replaced: replaced.map((x) => ({ id: Number(x.id), requestedBy: String(x.requested_by) })) };
  }

  async get(id: number): Promise<PublishRequest | null> {
    const [row] = await queryRows(this.ds, `SELECT ${COLUMNS} FROM publish_requests WHERE id = ?`, [id]);
    return row ? toRequest(row) : null;
  }

  /** Requests newest first: the pending ones, or the last `limit` of every status. */
  async list(opts: { status?: PublishRequestStatus; flowId?: string; limit?: number } = {}): Promise<PublishRequest[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (opts.status) where.push('status = ?'), params.push(opts.status);
    if (opts.flowId) where.push('flow_id = ?'), params.push(opts.flowId);
    const rows = await queryRows(this.ds, `SELECT ${COLUMNS} FROM publish_requests ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`, [...params, opts.limit ?? 100]);
    return rows.map(toRequest);
  }

  /** Moves a pending request to `status`; false when it is no longer pending (decided by someone else first). */
  async decide(id: number, status: Exclude<PublishRequestStatus, 'pending'>, by: string, at: number, reason: string | null = null): Promise<boolean> {
    const [changed] = await executeBatch(this.ds, [{ sql: "UPDATE publish_requests SET status = ?, decided_by = ?, decided_at = ?, reason = ? WHERE id = ? AND status = 'pending'", params: [status, by, at, reason, id] }]);
    return changed === 1;
  }

  /** An approval whose publish failed (the journey has problems now, the file moved on): the request is pending again. */
  async reopen(id: number): Promise<void> {
    await executeBatch(this.ds, [{ sql: "UPDATE publish_requests SET status = 'pending', decided_by = NULL, decided_at = NULL, reason = NULL WHERE id = ? AND status = 'approved' AND version IS NULL", params: [id] }]);
  }

  async setVersion(id: number, version: number): Promise<void> {
    await executeBatch(this.ds, [{ sql: 'UPDATE publish_requests SET version = ? WHERE id = ?', params: [version, id] }]);
  }
}

function toRequest(r: Record<string, unknown>): PublishRequest {
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    id: Number(r.id),
    flowId: String(r.flow_id),
    flow: r.flow === null ? null : JSON.parse(String(r.flow)),
    layout: r.layout === null ? null : JSON.parse(String(r.layout)),
    isNew: r.is_new === true || Number(r.is_new) === 1,
    fileVersion: (r.file_version as string | null) ?? null,
    summary: JSON.parse(String(r.summary)) as PublishRequestSummary,
    requestedBy: String(r.requested_by),
    requestedAt: Number(r.requested_at),
    note: (r.note as string | null) ?? null,
    status: String(r.status) as PublishRequestStatus,
    decidedBy: (r.decided_by as string | null) ?? null,
    decidedAt: num(r.decided_at),
    reason: (r.reason as string | null) ?? null,
    version: num(r.version),
  };
}
