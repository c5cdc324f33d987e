import type { AuditAction } from '../../core/access/audit-actions.js';

/** A pause in saving longer than this starts a new editing session, audited again. */
export const EDIT_SESSION_GAP_MS = 30 * 60_000;

/**
 * Which draft saves the audit log records. The designer autosaves 0.4 s after every change, so an
 * entry per save would bury everything else in the log (a journey drawn in an hour is hundreds of
 * saves) while saying no more than "X was editing this draft". So a save is audited when it tells
 * something new: the draft started (none before), someone else took it over (a different author
 * than the last save), editing resumed after a pause of 30 minutes or more, or the drawing was
 * imported from a file (always, with the file's name). What each save changed is in the draft's
 * revisions and, once published, in the version diff.
 */
export function draftSaveAudit(
  before: { author: string; updatedAt: number } | null,
  save: { author: string; at: number; importedFrom: string | null },
): { action: AuditAction; detail: Record<string, unknown> } | null {
  if (save.importedFrom) return { action: 'draft-imported', detail: { file: save.importedFrom } };
  if (!before) return { action: 'draft-saved', detail: { started: true } };
  if (before.author !== save.author) return { action: 'draft-saved', detail: { takenOverFrom: before.author } };
  if (save.at - before.updatedAt >= EDIT_SESSION_GAP_MS) return { action: 'draft-saved', detail: { resumedAfterMinutes: Math.floor((save.at - before.updatedAt) / 60_000) } };
  return null;
}
