import type { DataSource } from 'typeorm';
import type { AuditAction } from '../core/access/audit-actions.js';
import { executeBatch, queryRows, type SqlOp } from './sql-batch.js';

/**
 * The audit log: who saved, published, paused, stopped, changed the policy or a block list,
 * imported or exported customer data, managed accounts — when, and what changed. Rows are only
 * ever appended.
 */
export interface AuditEntry {
  id: number;
  at: number;
  actor: string;
  action: string;
  target: string;
  detail: Record<string, unknown>;
}

export interface AuditRecord {
  actor: string;
  /** One of core/access/audit-actions.ts, where the designer's words for each are tested. */
  action: AuditAction;
  target: string;
  detail?: Record<string, unknown>;
  at?: number;
}

const MAX_DETAIL = 64_000;

/** The entry as a statement, for a change that must be recorded in its own transaction (executeBatch with the change). */
export function auditInsert(e: AuditRecord): SqlOp {
  let detail = JSON.stringify(e.detail ?? {});
  if (detail.length > MAX_DETAIL) detail = JSON.stringify({ truncated: true, preview: detail.slice(0, 2000) });
  return { sql: 'INSERT INTO audit_log (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)', params: [e.at ?? Date.now(), e.actor.slice(0, 160), e.action.slice(0, 64), e.target.slice(0, 256), detail] };
}

export class AuditLog {
  constructor(private readonly ds: DataSource) {}

  async record(e: AuditRecord): Promise<void> {
    await executeBatch(this.ds, [auditInsert(e)]);
  }

  async list(q: { limit?: number; before?: number; actor?: string; action?: string; target?: string } = {}): Promise<AuditEntry[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (q.before !== undefined) (where.push('id < ?'), params.push(q.before));
    if (q.actor) (where.push('actor = ?'), params.push(q.actor));
    if (q.action) (where.push('action = ?'), params.push(q.action));
    if (q.target) (where.push('target = ?'), params.push(q.target));
    params.push(Math.min(Math.max(q.limit ?? 100, 1), 1000));
    const rows = await queryRows(this.ds, `SELECT id, at, actor, action, target, detail FROM audit_log${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`, params);
    return rows.map((r) => ({ id: Number(r.id), at: Number(r.at), actor: String(r.actor), action: String(r.action), target: String(r.target), detail: JSON.parse(String(r.detail)) as Record<string, unknown> }));
  }
}
