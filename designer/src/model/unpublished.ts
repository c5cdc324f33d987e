import { sameJourney } from './diff.js';
import type { DraftFlow } from './types.js';

/**
 * Whether the editor says 有未发布的修改 (and offers 对比线上版本, 发布修改, 放弃修改): the drawing is
 * not the live version's journey, by the very comparison 对比线上版本 makes (model/diff.ts, shared
 * with the server's journeys home: core/flow/journey-changes.ts). A draft alone said so: after every
 * edit was undone (or edited back) the draft, saved again, was the live journey, and the badge stayed
 * while 对比线上版本 said 与线上版本没有差别 (walkthrough). Such a draft is treated as no draft.
 *
 * `live`: the live version's journey, null while it is not known (then a draft, or a file committed
 * in git since the live version, says so, as before); `fileChanged`: the file differs from the live
 * version — opened from it the drawing shows it, which the comparison then sees for itself.
 */
export function unpublishedChanges(p: { published: boolean; live: DraftFlow | null; flow: DraftFlow; hasDraft: boolean; fileChanged: boolean }): boolean {
  if (!p.published) return false;
  if (p.live) return !sameJourney(p.live, p.flow);
  return p.hasDraft || p.fileChanged;
}

/**
 * A journey opened from its draft is worth 打开的是未发布的修改（草稿） only when that draft is not the
 * live version's journey (model/draft-opening.ts): a draft every edit of which was undone is none.
 */
export function openedDraftDiffers(live: DraftFlow | null, opened: DraftFlow): boolean {
  return live === null || !sameJourney(live, opened);
}
