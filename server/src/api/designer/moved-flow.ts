import { existsSync } from 'node:fs';
import type { DataSource } from 'typeorm';
import type { AuditLog } from '../../persistence/audit-log.js';
import { DraftStore } from '../../persistence/draft-store.js';
import { FlowRepository } from '../../persistence/flow-repository.js';
import { flowFilePath } from '../../runtime/flow-files.js';

/** Where a journey went when its id changed (确认发布 renames `journey-<date>` at the first publish). */
export interface MovedFlow {
  flowId: string;
  /** Who renamed it, and when. */
  author: string;
  at: number;
  /** Its live version; null before it is published. */
  version: number | null;
}

/**
 * Where a draft went when 确认发布 gave it another id (draft-renamed in the audit log, the newest
 * from this id; followed on when it was renamed again), while that journey exists: its id, who
 * moved it and when, and its live version. Null when the audit log has no such rename, or the
 * journey it led to is gone too. Used by a draft save's 409 (the other tab) and the flow file's
 * 404 (an old link, bookmarked before the first publish).
 */
export async function movedFlow(ds: DataSource, audit: AuditLog, rulesDir: string, id: string): Promise<MovedFlow | null> {
  const renames = await audit.list({ action: 'draft-renamed', limit: 1000 });
  const flows = await new FlowRepository(ds).list();
  const drafts = new DraftStore(ds);
  const seen = new Set([id]);
  let from = id;
  for (let hop = 0; hop < 10; hop++) {
    const e = renames.find((x) => x.detail.from === from); // newest first
    if (!e || !e.target.startsWith('flow:')) return null;
    const to = e.target.slice('flow:'.length);
    if (seen.has(to)) return null; // renamed back and forth: not "moved"
    seen.add(to);
    const live = flows.find((f) => f.flowId === to);
    if (live || (await drafts.get(to)) || existsSync(flowFilePath(rulesDir, to))) return { flowId: to, author: e.actor, at: e.at, version: live?.currentVersion ?? null };
    from = to;
  }
  return null;
}

/** movedFlow for an id that is itself gone (no draft, no live version, no file): a journey made since under the freed id is not "moved". */
export async function movedAway(ds: DataSource, audit: AuditLog, rulesDir: string, id: string): Promise<MovedFlow | null> {
  if (existsSync(flowFilePath(rulesDir, id)) || (await new DraftStore(ds).get(id)) || (await new FlowRepository(ds).list()).some((f) => f.flowId === id)) return null;
  return movedFlow(ds, audit, rulesDir, id);
}
