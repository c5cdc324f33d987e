/**
 * The toolbar's autosave words (an i18n key and the time to put in it). Nothing saved in this
 * visit said 与已保存版本一致 on every journey, also on one never published: a shipped journey
 * opened from its file, or a new one with only its draft, read as if a saved version were live.
 * Never published, it says so (未发布过), and whether what is shown is its saved draft.
 */
export interface SaveStateInput {
  canEdit: boolean;
  state: 'idle' | 'pending' | 'saved' | 'error' | 'conflict';
  /** When this visit last saved the draft; null: nothing saved since the journey opened. */
  savedAt: number | null;
  /** It has a published version. */
  published: boolean;
  /** The drawing differs from the published version (model/unpublished.ts). */
  unpublished: boolean;
  /** A draft is on the server. */
  hasDraft: boolean;
}

export function saveStateKey(s: SaveStateInput): string {
  if (!s.canEdit) return 'draft.readOnly';
  if (s.state === 'conflict') return 'draft.conflictState';
  if (s.state === 'pending') return 'draft.saving';
  if (s.state === 'error') return 'draft.saveFailed';
  if (s.savedAt) return s.published && !s.unpublished ? 'draft.savedSameAsLive' : s.published ? 'draft.savedAt' : 'draft.savedNeverPublished';
  if (!s.published) return s.hasDraft ? 'draft.neverPublishedDraft' : 'draft.neverPublished';
  return 'draft.upToDate';
}
