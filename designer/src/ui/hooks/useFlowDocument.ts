import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api, ApiError, csrfHeaders, type DraftConflict, type FlowSummary } from '../../api.js';
import { layeredLayout } from '../../model/elk-layout.js';
import { layoutOf, positionsFor } from '../../model/layout.js';
import { oneAtATime } from '../../model/one-at-a-time.js';
import { sameDrawing, type RescueSlot } from '../../model/rescue-copy.js';
import { flowExists, MissingFlow } from '../../model/missing-flow.js';
import type { DraftFlow } from '../../model/types.js';
import { DRAFT_LOST_EVENT, type DraftLost, type SaveFailure } from '../leave-guard.js';
import { emptyDrawing, type Drawing } from './useDrawing.js';

/** A flow as the editor opens it: its draft if there is one, else its file, else the live version. */
export interface FlowDocument {
  initial: Drawing;
  hasFile: boolean;
  summary: FlowSummary | undefined;
  /** The draft it was opened from (null: opened from the file or the live version). */
  draftAt: number | null;
  /** The revision of that draft: the next save is based on it (null: no draft yet). */
  draftRevision: number | null;
  /** Opened from a draft left from before (not one this tab just created with the new-flow dialog). */
  restored: boolean;
  baseVersion: number | null;
  /**
   * The version of the flow file the drawing comes from (its draft's, else the file's as opened;
   * null: no file, or unknown): publishing names it, so a commit to the file made since is not undone.
   */
  fileVersion: string | null;
  /** Opened from a draft whose file changed (in git) since the draft was started: its publish is refused. */
  fileChanged: boolean;
  /** The live version's journey as the flow opened (null: never published), which the drawing is compared with (model/unpublished.ts). */
  live: DraftFlow | null;
}

/**
 * Flows this tab created as a draft with the new-flow dialog, and the draft revision it got back:
 * opening that very draft is not "restoring" one. Read, never taken out: the editor may load a
 * flow more than once as it opens (a browser under load showed 已恢复上次未发布的草稿 on a journey
 * just created), and once the draft has been saved again it is no longer the one created here.
 */
export const justCreated = new Map<string, number>();

export async function loadFlowDocument(id: string, labelOf?: (key: string) => string): Promise<FlowDocument> {
  const [draft, flows] = await Promise.all([api.draft(id), api.flows()]);
  const summary = flows.find((f) => f.id === id);
  // A link to a deleted or mistyped journey: said so, never opened as a new empty one.
  if (!flowExists({ draft: draft !== null, listed: summary !== undefined })) {
    // An old link to a journey whose id changed at its first publish: where it went, if the server knows.
    throw new MissingFlow(id, await api.movedFrom(id));
  }
  // The list has every flow with a file: a journey just made with 新建旅程 (a draft, no file) is
  // not asked for one, which would be a 404 in the browser's console on every open.
  const base = summary?.currentVersion ?? null;
  // The live version too: the editor says 有未发布的修改 only when the drawing is not its journey.
  const [file, liveVersion] = await Promise.all([summary && summary.hasFile !== false ? api.fileOrNull(id) : null, base !== null ? api.version(id, base) : null]);
  const live = liveVersion?.flow ?? null;
  // Boxes without a saved position (a file written by hand, no layout file) get the layered layout.
  const drawingOf = async (flow: DraftFlow, layout?: { positions: Record<string, { x: number; y: number }> }): Promise<Drawing> => {
    const given = layout?.positions ?? {};
    if (flow.nodes.every((n) => given[n.id])) return { flow, positions: positionsFor(flow, layout) };
    const auto = await layeredLayout(flow, labelOf).catch(() => positionsFor(flow, undefined));
    return { flow, positions: Object.fromEntries(flow.nodes.map((n) => [n.id, given[n.id] ?? auto[n.id]])) };
  };
  const none = { draftAt: null, draftRevision: null, restored: false, fileVersion: file?.fileVersion ?? null, fileChanged: false, live };
  const fresh = draft !== null && justCreated.get(id) === draft.revision;
  if (draft) return { initial: await drawingOf({ ...draft.flow, id }, draft.layout), hasFile: !!file, summary, draftAt: draft.updatedAt, draftRevision: draft.revision, restored: !fresh, baseVersion: draft.baseVersion ?? base, fileVersion: draft.fileVersion ?? null, fileChanged: draft.fileChanged === true, live };
  if (file) return { initial: await drawingOf(file.flow, file.layout), hasFile: true, summary, ...none, baseVersion: base };
  if (live) return { initial: await drawingOf(live), hasFile: false, summary, ...none, baseVersion: base };
  return { initial: emptyDrawing(id), hasFile: false, summary, ...none, baseVersion: null };
}

/** 'conflict': someone else saved the draft since this tab's revision; autosave stops until the marketer chooses. */
export type SaveState = 'idle' | 'pending' | 'saved' | 'error' | 'conflict';

/**
 * Autosave: every change of the drawing is kept as the flow's draft on the server a moment after
 * the marketer stops (and when the page is left), whatever its problems. Opening a flow without
 * changing it writes nothing. Each save names the draft revision it is based on: when someone else
 * saved in between, the server refuses it (409) and autosave stops, so neither edit is lost
 * silently; the marketer then loads their version or keeps (re-saves) this one.
 *
 * A drawing the server has not confirmed is also kept in the browser (`rescue`, rescue-copy.ts)
 * when a save fails and when the editor or the page closes with it unsaved, so it survives a
 * closed tab while offline; the copy goes once the server confirms that drawing.
 */
export function useAutosave(flowId: string, drawing: Drawing, baseVersion: number | null, openedDraftAt: number | null, canEdit = true, openedRevision: number | null = null, rescue: RescueSlot | null = null, openedFileVersion: string | null = null) {
  const savedKey = useRef(JSON.stringify(drawing));
  const latest = useRef(drawing);
  latest.current = drawing;
  const [state, setState] = useState<SaveState>('idle');
  const [savedAt, setSavedAt] = useState<number | null>(openedDraftAt);
  const [hasDraft, setHasDraft] = useState(openedDraftAt !== null);
  const revision = useRef(openedRevision);
  /** The file version the drawing is based on: told the server when the draft starts, named on publish (null after this tab publishes: the file is then its own). */
  const fileVersion = useRef(openedFileVersion);
  /** The updatedAt of that revision (rescue-copy.ts: a revision number alone can name a later draft). */
  const draftAt = useRef(openedDraftAt);
  const [conflict, setConflict] = useState<DraftConflict | null>(null);
  const conflicted = useRef(false);
  const failure = useRef<SaveFailure | null>(null);
  const [failures, setFailures] = useState(0);
  /**
   * Counts confirmed saves. A change made while a save was in flight (an undo straight after an
   * import) may equal the drawing saved before, so its own effect saw nothing to do; the next
   * confirmation looks again and saves it, or the server would keep the in-flight drawing.
   */
  const [confirmedSaves, setConfirmedSaves] = useState(0);
  const unsaved = () => JSON.stringify(latest.current) !== savedKey.current;
  /** The file the drawing was imported from, until a save has told the server (its audit log names it). */
  const importedFrom = useRef<string | null>(null);

  const slot = useRef(rescue);
  slot.current = rescue;
  /** The stored copy was written by this editor (so any later confirmed save supersedes it). */
  const ownsCopy = useRef(false);
  /** Keeps the drawing as it is now in the browser: false when the browser would not. */
  const keepCopy = (): boolean => {
    const d = latest.current;
    const kept = slot.current?.keep({ flow: d.flow, layout: layoutOf(d.flow, d.positions), baseVersion, revision: revision.current, draftAt: draftAt.current, keptAt: Date.now() }) ?? false;
    if (kept) ownsCopy.current = true;
    return kept;
  };
  const dropCopy = () => {
    slot.current?.drop();
    ownsCopy.current = false;
  };
  /**
   * The server confirmed `d` and nothing newer is waiting: this editor's copy is superseded; a copy
   * left from before (offered in the banner) only when it is this very drawing (it was restored).
   */
  const confirmed = (d: Drawing) => {
    const copy = slot.current?.read();
    if (copy && (ownsCopy.current || sameDrawing(copy, { flow: d.flow, layout: layoutOf(d.flow, d.positions) }))) dropCopy();
  };

  /** Saves sent and not answered yet. */
  const inFlight = useRef(0);
  const savedAtNow = useRef(savedAt);
  savedAtNow.current = savedAt;
  const attempt = useRef<() => Promise<boolean>>(async () => true);
  attempt.current = async () => {
    if (conflicted.current) {
      failure.current = { kind: 'conflict' };
      return false;
    }
    const d = latest.current;
    const key = JSON.stringify(d);
    if (key === savedKey.current) return true;
    inFlight.current++;
    try {
      const file = importedFrom.current;
      const r = await api.saveDraft(flowId, d.flow, layoutOf(d.flow, d.positions), baseVersion, revision.current, file ?? undefined, revision.current === null ? (fileVersion.current ?? undefined) : undefined);
      if (importedFrom.current === file) importedFrom.current = null;
      savedKey.current = key;
      revision.current = r.revision;
      draftAt.current = r.updatedAt;
      failure.current = null;
      setSavedAt(r.updatedAt);
      setHasDraft(true);
      const settledHere = JSON.stringify(latest.current) === key;
      if (settledHere) confirmed(d);
      setState(settledHere ? 'saved' : 'pending');
      setConfirmedSaves((n) => n + 1);
      return true;
    } catch (e) {
      keepCopy(); // not confirmed: kept in the browser while it is retried
      if (e instanceof ApiError && e.status === 409) {
        conflicted.current = true;
        failure.current = { kind: 'conflict' };
        setConflict((e.body?.conflict as DraftConflict | undefined) ?? { author: null, updatedAt: null, revision: null });
        setState('conflict');
      } else {
        failure.current = e instanceof ApiError ? { kind: 'refused', status: e.status } : { kind: 'offline' };
        setState('error');
        setFailures((n) => n + 1);
      }
      return false;
    } finally {
      inFlight.current--;
    }
  };
  // One save at a time: each names the revision the one before it got back.
  const save = useMemo(() => oneAtATime(() => attempt.current()), []);

  /** "Keep mine": save this drawing over theirs, based on the revision the 409 named. */
  const keepMine = useCallback(async () => {
    if (!conflict) return false;
    revision.current = conflict.revision;
    draftAt.current = conflict.updatedAt;
    conflicted.current = false;
    setConflict(null);
    savedKey.current = '';
    return save();
  }, [conflict, save]);

  /**
   * Saves what is not saved yet, now (the editor is about to close): null when everything is on the
   * server, else why it is not (the marketer must learn it before leaving, never lose it silently).
   */
  const flush = useCallback(async (): Promise<SaveFailure | null> => {
    if (!canEdit || !unsaved()) return null;
    return (await save()) ? null : (failure.current ?? { kind: 'offline' });
  }, [canEdit, save]);
  /** The drawing as it is now need not be saved (the marketer chose to drop it: discard, load theirs, leave anyway). */
  const forget = useCallback(() => {
    savedKey.current = JSON.stringify(latest.current);
    dropCopy();
  }, []);

  useEffect(() => {
    if (!canEdit) return;
    if (JSON.stringify(drawing) === savedKey.current) {
      // An edit undone before its save fired leaves nothing to save: the toolbar must not go on
      // saying 保存中 (a save in flight settles the state itself when it answers).
      if (inFlight.current === 0) setState((s) => (s === 'pending' ? (savedAtNow.current !== null ? 'saved' : 'idle') : s));
      return;
    }
    // Autosave waits for the marketer's choice: meanwhile each edit is kept in the browser only.
    if (conflicted.current) return void keepCopy();
    setState('pending');
    const timer = setTimeout(() => void save(), 400);
    return () => clearTimeout(timer);
  }, [drawing, save, canEdit, confirmedSaves]);

  // A failed save is tried again a while later ("将重试"), not only at the marketer's next change.
  useEffect(() => {
    if (!failures || !canEdit) return;
    const timer = setTimeout(() => void save(), 5000);
    return () => clearTimeout(timer);
  }, [failures, save, canEdit]);

  // The editor closed some other way than through its leave guard (the browser's back button, a
  // link): its pending change is saved anyway, and if that fails the shell says so.
  // The copy is kept first, at once: the page may be gone before that save's answer comes (a
  // confirmed save drops it again).
  const closing = useRef({ flush, name: '', keep: (): boolean => false });
  closing.current = { flush, name: drawing.flow.name || flowId, keep: () => canEdit && unsaved() && keepCopy() };
  useEffect(
    () => () => {
      const { flush: last, name, keep } = closing.current;
      const kept = keep();
      void last().then((reason) => {
        if (reason) window.dispatchEvent(new CustomEvent<DraftLost>(DRAFT_LOST_EVENT, { detail: { flowId, name, reason, kept } }));
      });
    },
    [flowId],
  );

  // Leaving or reloading the page before the timer fired: send it anyway (keepalive outlives the page).
  useEffect(() => {
    const flushOnPagehide = () => {
      if (!canEdit || !unsaved()) return;
      keepCopy(); // whether the keepalive save gets through is never known here
      if (conflicted.current) return;
      const d = latest.current;
      fetch(`/api/flows/${flowId}/draft`, { method: 'PUT', keepalive: true, headers: { 'content-type': 'application/json', ...csrfHeaders() }, body: JSON.stringify({ flow: d.flow, layout: layoutOf(d.flow, d.positions), baseVersion, revision: revision.current, ...(importedFrom.current ? { importedFrom: importedFrom.current } : {}) }) }).catch(() => {});
    };
    window.addEventListener('pagehide', flushOnPagehide);
    return () => window.removeEventListener('pagehide', flushOnPagehide);
  }, [flowId, baseVersion, canEdit]);

  /** After publish or discard: the drawing is what the server has, no draft (so no "draft saved at"). */
  /** `fileVersionNow`: the file's version after this tab's publish wrote it (null: not known). */
  const settled = (d: Drawing, fileVersionNow: string | null = null) => {
    savedKey.current = JSON.stringify(d);
    dropCopy();
    revision.current = null;
    draftAt.current = null;
    // Published: the file on disk is what this tab just wrote; a next draft is based on that.
    fileVersion.current = fileVersionNow;
    setSavedAt(null);
    setHasDraft(false);
    setState('idle');
  };
  /** The drawing was just replaced by a file's flow (More → Import): the next save says so. */
  const imported = useCallback((fileName: string) => {
    importedFrom.current = fileName.slice(0, 200) || 'flow.yaml';
  }, []);

  /**
   * A publish was refused because the draft moved on since this tab's revision (409 draft-changed):
   * the same stop and choice as a refused save (load theirs, or keep this one), since publishing
   * this drawing would have dropped the other edit.
   */
  const conflictFrom = useCallback((c: DraftConflict) => {
    conflicted.current = true;
    failure.current = { kind: 'conflict' };
    keepCopy();
    setConflict(c);
    setState('conflict');
  }, []);

  return { state, savedAt, hasDraft, save, settled, conflict, conflictFrom, keepMine, flush, forget, imported, fileVersion: () => fileVersion.current, revision: () => revision.current };
}
