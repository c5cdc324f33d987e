import { ConflictException } from '@nestjs/common';
import type { Principal } from '../../core/access/roles.js';
import type { AuditLog } from '../../persistence/audit-log.js';
import type { FlowDraft } from '../../persistence/draft-store.js';
import { draftGoneBy } from '../designer/draft-gone-by.js';
import { savedBy } from '../designer/draft-saver.js';

/**
 * A drawing published from a tab whose copy of the draft is not the draft any more: another tab saved
 * over it (its 保留这里的版本), or published or discarded it. Publishing the tab's drawing would have
 * dropped that other edit without a word (walkthrough: tab A, still saying 草稿已自动保存, published its
 * older copy over tab B's kept change), so the publish is refused, like a save based on an old revision.
 */
export class DraftChanged extends Error {
  constructor(
    readonly flowId: string,
    /** The revision the drawing was saved as (null: the tab knew of no draft). */
    readonly basedOn: number | null,
    /** The draft now (null: none). */
    readonly current: FlowDraft | null,
  ) {
    super(`the draft of "${flowId}" changed since this drawing was saved`);
  }
}

/** Nothing is published when the drawing's draft revision is not the stored draft's. */
export function refuseIfDraftChanged(flowId: string, basedOn: number | null | undefined, current: FlowDraft | null): void {
  if (basedOn === undefined) return;
  if ((current?.revision ?? null) !== basedOn) throw new DraftChanged(flowId, basedOn, current);
}

/**
 * The 409 of a publish refused by DraftChanged, in the shape of a refused draft save's (`conflict`:
 * who saved it, as this caller and tab see it; or, when the draft is gone, who published or
 * discarded it last), so the designer shows the same choice: load that version, or keep this one.
 */
export async function draftChangedConflict(e: DraftChanged, caller: Principal | null, tab: string | undefined, audit: AuditLog): Promise<ConflictException> {
  const c = e.current;
  const goneBy = c ? null : await draftGoneBy(audit, e.flowId);
  const since = e.basedOn === null ? 'this drawing has no draft revision' : `this drawing was saved as revision ${e.basedOn}`;
  return new ConflictException({
    code: 'draft-changed',
    message: c
      ? `the draft of "${e.flowId}" was saved by ${c.author} at ${new Date(c.updatedAt).toISOString()} (revision ${c.revision}), and ${since}; nothing was published`
      : goneBy
        ? `flow "${e.flowId}" has no draft any more: ${goneBy.author} published or discarded it at ${new Date(goneBy.at).toISOString()}; nothing was published`
        : `flow "${e.flowId}" has no draft any more (published or discarded); nothing was published`,
    conflict: c ? { author: c.author, updatedAt: c.updatedAt, revision: c.revision, by: savedBy(c, caller, tab) } : { author: null, updatedAt: null, revision: null, ...(goneBy ? { goneBy } : {}) },
  });
}
