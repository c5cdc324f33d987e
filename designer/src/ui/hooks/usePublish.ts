import { useState } from 'react';
import { api, ApiError, type DraftConflict, type PublishRequest } from '../../api.js';
import { countsAfterPublish } from '../../model/counts.js';
import { sameJourney } from '../../model/diff.js';
import { errorText } from '../../model/error-words.js';
import { layoutOf } from '../../model/layout.js';
import { loadFailureWords } from '../../model/load-failure.js';
import type { Lang } from '../../model/i18n.js';
import type { Route } from '../../model/route.js';
import type { DraftFlow, Position, Problem } from '../../model/types.js';
import { fetchLiveCounts, type CanvasCounts } from './useCanvasCounts.js';
import type { Drawing } from './useDrawing.js';
import type { useAutosave } from './useFlowDocument.js';

/** What the editor's banner is told: the words, and whether they are about the journey's problems. */
export type PublishSay = (m: { kind: 'ok' | 'error'; text: string; problems?: boolean }) => void;

export interface PublishInputs {
  flowId: string;
  flow: DraftFlow;
  positions: Record<string, Position>;
  /** The drawing being published (flow and positions): autosave then knows it is what the server has. */
  drawing: Drawing;
  /** Replaces the drawing with the journey as it went live (useDrawing settleTo). */
  settleTo: (d: Drawing) => void;
  /** Tells the live-version reader the version just published, read here (useLiveVersion). */
  liveSeen: (version: number, flow: DraftFlow) => void;
  /** Drops the undo steps kept for a reload (published: the draft they were steps of is gone). */
  settleHistory: () => void;
  /** The journey's errors now (publishing is refused while there are any). */
  errorCount: number;
  autosave: ReturnType<typeof useAutosave>;
  /** Whether rules/flows/ has the journey's file (a first publish writes it). */
  hasFile: boolean;
  setHasFile: (has: boolean) => void;
  counts: CanvasCounts;
  setCounts: (c: CanvasCounts) => void;
  setServerProblems: (p: Problem[]) => void;
  refreshSummary: () => Promise<void>;
  closeDiff: () => void;
  onNavigate: (r: Route) => void;
  say: PublishSay;
  lang: Lang;
  t: (key: string) => string;
}

/**
 * 发布 in the editor: asked first in 确认发布 (PublishDialog: what goes live, who enters, what it
 * sends, the warnings and caps), then written. `confirm` answers null when the journey is live (or
 * when the draft conflict banner must be answered first), else why not in words, which the dialog
 * shows beside the banner's. A new journey whose id was changed in the dialog is moved there first.
 */
export function usePublish(p: PublishInputs) {
  const { flowId, t, lang, say } = p;
  const [open, setOpen] = useState(false);
  const refused = () => {
    say({ kind: 'error', text: t('msg.publishRefused'), problems: true });
    return t('msg.publishRefused');
  };
  const ask = () => {
    if (p.errorCount) return void refused();
    p.closeDiff();
    setOpen(true);
  };
  /** A refused publish: the server's problems shown on their steps, its words said; returned for the dialog. */
  const failed = (e: unknown): string => {
    const problems = e instanceof ApiError && e.problems.length > 0;
    if (problems) p.setServerProblems(e.problems);
    const text = errorText(lang, e);
    say({ kind: 'error', text, problems });
    return text;
  };
  /** Someone else saved the draft meanwhile: the conflict banner asks which version to keep first (its choices are under the dialog). */
  const savedOrAsked = async (): Promise<boolean> => {
    if (!(await p.autosave.save()) && p.autosave.conflict) {
      setOpen(false);
      return false;
    }
    return true;
  };
  /**
   * Publish approval on (rules/shop.yaml): the server kept the journey as a request and nothing went
   * live; the draft stays the server's (an approval publishes the request, and drops the draft only
   * if it is still what was asked).
   */
  const requested = (request: PublishRequest) => {
    p.closeDiff();
    setOpen(false);
    say({ kind: 'ok', text: t('approval.requested').replace('{id}', String(request.id)) });
    return null;
  };
  const confirm = async (id: string = flowId, note?: string): Promise<string | null> => {
    if (p.errorCount) return refused();
    if (id !== flowId) return publishAs(id, note);
    try {
      if (!(await savedOrAsked())) return null;
      // The draft as this tab last saved it: another tab's save since is refused, not published over.
      const revision = p.autosave.revision();
      const r = await api.publish(flowId, p.flow, layoutOf(p.flow, p.positions), !p.hasFile, p.autosave.fileVersion(), note, revision);
      if (r.pendingApproval) return requested(r.request);
      p.setHasFile(true);
      // Only the revision published: a draft saved from elsewhere in the meantime is kept.
      await api.discardDraft(flowId, revision);
      // The canvas is what went live, as the server read it (defaults written out), else the badge
      // compares the drawing without them to the version and says 有未发布的修改 at once.
      const live = await api.version(flowId, r.version).then(
        (v) => v.flow,
        () => null,
      );
      if (live) p.liveSeen(r.version, live);
      const drawing = live && !sameJourney(live, p.drawing.flow) ? { ...p.drawing, flow: live } : p.drawing;
      if (drawing !== p.drawing) p.settleTo(drawing);
      p.autosave.settled(drawing, r.fileVersion ?? null);
      p.settleHistory();
      await p.refreshSummary();
      // The simulation's numbers were the draft's: the canvas now shows what runs (model/counts.ts),
      // or nothing, said so, when those cannot be read (never the draft's simulation as if live).
      let countsFailed = '';
      if (countsAfterPublish(p.counts?.source ?? null) === 'live') {
        try {
          p.setCounts(await fetchLiveCounts(flowId));
        } catch (e) {
          p.setCounts(null);
          countsFailed = `${lang === 'zh' ? '。' : '. '}${loadFailureWords(lang, 'counts', e).text}`;
        }
      }
      p.closeDiff();
      setOpen(false);
      say({ kind: 'ok', text: t('msg.publishedVersion').replace('{v}', String(r.version)) + countsFailed });
      return null;
    } catch (e) {
      if (e instanceof ApiError && e.status === 409 && e.body?.code === 'draft-changed') return draftChanged(e);
      return failed(e);
    }
  };
  /**
   * The draft was saved (or published, discarded) from elsewhere since this tab saved it: nothing
   * went live. The conflict banner asks which version to keep, as for a refused save; 发布 again after.
   */
  const draftChanged = (e: ApiError): null => {
    p.autosave.conflictFrom((e.body?.conflict as DraftConflict | undefined) ?? { author: null, updatedAt: null, revision: null });
    p.closeDiff();
    setOpen(false);
    say({ kind: 'error', text: t('msg.publishDraftChanged') });
    return null;
  };
  /**
   * The first publish under the id typed in 确认发布 (the journey has no file yet): the draft is
   * saved and moved to the new id (POST /api/flows/:id/draft/rename, which refuses an id taken
   * meanwhile), then written, published and opened there. A refusal is said naming the field.
   */
  const publishAs = async (to: string, note?: string): Promise<string | null> => {
    try {
      if (!(await savedOrAsked())) return null;
      let revision: number | null = null;
      try {
        revision = (await api.renameDraft(flowId, to, p.autosave.revision())).revision ?? null;
      } catch (e) {
        if (e instanceof ApiError && e.status === 409 && e.body?.code === 'draft-changed') return draftChanged(e);
        return `「${t('inspector.flowId')}」${lang === 'zh' ? '：' : ': '}${e instanceof ApiError && e.status === 409 ? t('id.taken') : errorText(lang, e)}`;
      }
      const moved = { ...p.flow, id: to };
      const r = await api.publish(to, moved, layoutOf(moved, p.positions), true, null, note, revision ?? undefined);
      if (r.pendingApproval) {
        // Asked under the new id: the editor opens there, on the draft the request was made from.
        setOpen(false);
        p.onNavigate({ view: 'editor', flowId: to });
        return null;
      }
      await api.discardDraft(to, revision);
      p.autosave.settled(p.drawing);
      p.settleHistory();
      setOpen(false);
      p.onNavigate({ view: 'editor', flowId: to });
      return null;
    } catch (e) {
      return failed(e);
    }
  };
  return { open, ask, confirm, cancel: () => setOpen(false) };
}
