/**
 * What must happen before the marketer leaves the view they are in through the designer's own
 * buttons (the top bar, the editor's back arrow): the editor registers a guard that saves the
 * pending draft and answers whether leaving is safe; navigation waits for it. One guard at a time
 * (one editor is open); a guard is removed only by the editor that set it.
 */
export type LeaveGuard = () => Promise<boolean>;

let current: LeaveGuard | null = null;

/** Sets the guard; the function returned removes it (if it is still this one). */
export function setLeaveGuard(guard: LeaveGuard): () => void {
  current = guard;
  return () => {
    if (current === guard) current = null;
  };
}

/** Whether the open view may be left now (true when nothing guards it; false when its guard throws). */
export async function mayLeave(): Promise<boolean> {
  if (!current) return true;
  return current().catch(() => false);
}

/** Fired when an editor closed (not through its guard, e.g. the browser's back button) and its last save failed. */
export const DRAFT_LOST_EVENT = 'rekindle:draft-not-saved';
export interface DraftLost {
  flowId: string;
  name: string;
  reason: SaveFailure;
  /** The edit was kept in this browser (rescue-copy.ts): reopening the journey offers it. */
  kept: boolean;
}

/** Why a draft save failed, to be said in the marketer's words. */
export type SaveFailure = { kind: 'offline' } | { kind: 'refused'; status: number } | { kind: 'conflict' };

export function failureWords(t: (key: string) => string, f: SaveFailure): string {
  if (f.kind === 'conflict') return t('draft.conflictReason');
  if (f.kind === 'refused') return t('draft.refused').replace('{status}', String(f.status));
  return t('draft.offline');
}
