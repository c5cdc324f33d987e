import { LoadFailed } from '../LoadFailed.js';
import { loadFailureWords } from '../../model/load-failure.js';
import { useRetriedLoad } from '../hooks/useRetriedLoad.js';
import { useEffect, useState, type ReactNode } from 'react';
import { api, type EventType } from '../../api.js';
import { nodeChanges, type NodeChanges } from '../../model/diff.js';
import { publishPreview, type PublishFigures } from '../../model/publish-preview.js';
import { previewFailure } from '../../model/publish-preview-failure.js';
import type { DraftFlow, Problem } from '../../model/types.js';
import { useLang, useT } from '../i18n.js';
import { useShopSegmentTitles } from '../segment-titles.js';
import { idProblem } from '../../model/flow-id.js';
import { idChangeResplitWords } from '../../model/id-change-resplit.js';
import { formatDateTime } from '../../model/format.js';

interface Props {
  flowId: string;
  flow: DraftFlow;
  liveVersion: number | null;
  /** The newest published version (the next one is numbered after it). */
  latestVersion: number | null;
  status: 'draft' | 'active' | 'paused' | 'stopped';
  problems: Problem[];
  events: EventType[];
  timezone: string | undefined;
  onCancel: () => void;
  /**
   * Publishes under `id` (the flow's own, or the one typed in the dialog while the id can still
   * change): null when it went live, else what went wrong in words (the dialog stays open and says it).
   */
  onConfirm: (id: string, note?: string) => Promise<string | null>;
  /** The first publish of a journey that has no file yet: its id can still change, and the dialog asks for it. */
  idEditable?: boolean;
  /** A simulation was run in this editor: changing the id now re-draws the A/B groups it showed. */
  simulated?: boolean;
}

/**
 * 确认发布: what is about to go live, before it does (the words: model/publish-preview.ts; the
 * shop's figures: POST /api/flows/:id/publish-preview). Esc and 取消 publish nothing. When the
 * summary cannot be loaded, the dialog says why and offers 重试; it publishes only once the
 * marketer ticks the box naming what they have not seen, and not at all when publishing would
 * be refused for the same reason (model/publish-preview-failure.ts).
 */
export function PublishDialog(p: Props) {
  const t = useT();
  const lang = useLang();
  const segmentTitles = useShopSegmentTitles();
  const [figures, setFigures] = useState<PublishFigures | null>(null);
  const [changes, setChanges] = useState<NodeChanges | null>(null);
  const [liveFlow, setLiveFlow] = useState<DraftFlow | null>(null);
  const [previewError, setPreviewError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const [riskAccepted, setRiskAccepted] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Publish approval (rules/shop.yaml): the button asks instead of publishing, with a note to the approver.
  const approval = useRetriedLoad(() => api.publishRequests({ flow: p.flowId }), [p.flowId]);
  const [note, setNote] = useState('');
  const asking = approval.data?.approvalRequired === true;
  const waiting = approval.data?.requests.find((r) => r.status === 'pending') ?? null;
  // The id, while it can change: the one chosen in 新建旅程, shown as it is (the dialog proposed
  // another one, built from the auto-named segment file, and asked for English a second time).
  // The ids already taken, asked again while the server cannot answer. When they still cannot be
  // read the dialog says so (with 重试) instead of treating every id as free; publishing stays
  // possible, as renaming the draft to a taken id is refused by the server and said on the field.
  const takenIds = useRetriedLoad(async () => (p.idEditable ? new Set((await api.home()).flows.map((f) => f.id).filter((x) => x !== p.flowId)) : null), [p.idEditable, p.flowId]);
  const taken: ReadonlySet<string> | null = takenIds.data;
  const [newId, setNewId] = useState<string | null>(null);
  const shownId = newId ?? p.flowId;
  const idError = p.idEditable ? idProblem(shownId, taken ?? new Set()) : null;
  // A split without its own salt draws its groups from the journey id: a new one re-draws them.
  const resplit = p.idEditable ? idChangeResplitWords(lang, p.flow, p.flowId, shownId, p.simulated ?? false) : null;
  useEffect(() => {
    let live = true;
    setPreviewError(null);
    setRiskAccepted(false);
    Promise.all([api.publishPreview(p.flowId, p.flow), p.liveVersion === null ? null : api.version(p.flowId, p.liveVersion)])
      .then(([f, v]) => {
        if (!live) return;
        setFigures(f);
        if (v) {
          setChanges(nodeChanges(v.flow, p.flow));
          setLiveFlow(v.flow);
        }
      })
      .catch((e) => live && setPreviewError(e ?? new Error('unknown')));
    return () => {
      live = false;
    };
    // The drawing cannot change while the dialog covers the editor; 重试 asks again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [attempt]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && !busy && p.onCancel();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [busy, p]);
  const failure = previewError === null ? null : previewFailure(lang, previewError);
  const canPublish = !busy && !idError && (figures !== null ? true : failure?.publish === 'confirm' && riskAccepted);
  const descriptions = Object.fromEntries(p.events.map((e) => [e.name, e.description]));
  const w = figures && publishPreview(lang, { segmentTitles, flow: p.flow, liveVersion: p.liveVersion, latestVersion: p.latestVersion, status: p.status, changes, liveFlow, problems: p.problems, figures, eventDescriptions: descriptions, eventFields: p.events, timeZone: p.timezone });
  const section = (key: string, testId: string, lines: string[], more?: ReactNode) =>
    lines.length > 0 && (
      <section data-testid={testId}>
        <h4>{t(key)}</h4>
        <ul>
          {lines.map((l, i) => (
            <li key={i}>{l}</li>
          ))}
        </ul>
        {more}
      </section>
    );
  // In a new tab: the dialog (and the drawing behind it) stays as it is while the shop's rules are read.
  const policyLink = (
    <a href="#/policy" target="_blank" rel="noopener" data-testid="publish-policy-link">
      {t('publish.policyLink')}
    </a>
  );
  return (
    <div className="modal" data-testid="publish-dialog" role="dialog" aria-modal="true">
      <div className="modal-body publish-dialog">
        <h3 data-testid="publish-title">{w?.title ?? t('publish.confirm')}</h3>
        {!w && !previewError && <p className="help">{t('publish.loading')}</p>}
        {failure && (
          <div className="message message-error" role="alert" data-testid="publish-preview-error">
            <p>{failure.text}</p>
            {failure.risk && (
              <label className="publish-risk">
                <input type="checkbox" data-testid="publish-risk" checked={riskAccepted} disabled={busy} onChange={(e) => setRiskAccepted(e.target.checked)} /> {failure.risk}
              </label>
            )}
          </div>
        )}
        {p.idEditable && (
          <section className="publish-id" data-testid="publish-id" data-field="flow-id">
            <h4>{t('inspector.flowId')}</h4>
            <input value={shownId} disabled={busy} onChange={(e) => setNewId(e.target.value.trim().toLowerCase())} data-testid="publish-id-input" aria-label={t('inspector.flowId')} />
            {idError && (
              <small className="error" role="alert" data-testid="publish-id-error">
                「{t('inspector.flowId')}」{lang === 'zh' ? '：' : ': '}
                {t(idError)}
              </small>
            )}
            {takenIds.failed && <LoadFailed words={loadFailureWords(lang, 'takenIds', takenIds.failed.error)} retry={takenIds.retry} testId="publish-id-unknown" />}
            <small className="help" data-testid="publish-id-help">
                {!idError && (
                  <>
                    {t('publish.idHelp').split('{file}')[0]}
                    <code data-content>rules/flows/{shownId}.flow.yaml</code>
                    {t('publish.idHelp').split('{file}')[1]}
                    {shownId === p.flowId && t('publish.idChosen')}
                  </>
                )}
            </small>
            {resplit && (
              <small className="help warning" role="alert" data-testid="publish-id-resplit">
                {resplit}
              </small>
            )}
          </section>
        )}
        {w && (
          <>
            {section('publish.version', 'publish-version', [w.version])}
            {section('publish.changes', 'publish-changes', w.changes)}
            {section('publish.entry', 'publish-entry', w.entry)}
            {section('publish.sends', 'publish-sends', [w.sends])}
            <section data-testid="publish-warnings" className={w.warnings.length ? 'has-warnings' : ''}>
              <h4 data-testid="publish-warnings-title">{w.warningsTitle}</h4>
              <ul>
                {w.warnings.map((l, i) => (
                  <li key={i} className="warning">
                    {l}
                  </li>
                ))}
              </ul>
            </section>
            {section('publish.experiments', 'publish-experiments', w.experiments)}
            {section('publish.caps', 'publish-caps', w.caps, w.shopRules ? policyLink : undefined)}
          </>
        )}
        {asking && (
          <section data-testid="publish-approval">
            <p className="help">{t('approval.dialogNote')}</p>
            {waiting && (
              <p className="help" data-testid="publish-approval-waiting">
                {t('approval.pendingAlready').replace('{who}', waiting.requestedBy).replace('{when}', formatDateTime(lang, waiting.requestedAt, p.timezone)).replace('{id}', String(waiting.id))}
              </p>
            )}
            <label>
              {t('approval.noteLabel')}
              <textarea value={note} maxLength={2000} placeholder={t('approval.notePlaceholder')} onChange={(e) => setNote(e.target.value)} data-testid="publish-note" />
            </label>
          </section>
        )}
        {error && (
          <div className="message message-error" role="alert" data-testid="publish-error">
            {t('publish.refused').replace('{e}', error)}
          </div>
        )}
        <div className="modal-actions">
          <button type="button" onClick={p.onCancel} disabled={busy} data-testid="publish-cancel">
            {t('cancel')}
          </button>
          {failure?.publish === 'confirm' && (
            <button type="button" onClick={() => setAttempt((n) => n + 1)} disabled={busy} data-testid="publish-retry">
              {t('publish.retry')}
            </button>
          )}
          <button
            type="button"
            className="primary"
            disabled={!canPublish}
            data-testid="publish-confirm"
            onClick={async () => {
              setBusy(true);
              setError(null);
              const failed = await p.onConfirm(shownId, asking && note.trim() ? note.trim() : undefined);
              setBusy(false);
              if (failed) setError(failed);
            }}
          >
            {asking ? t('approval.submit') : t('publish.confirm')}
          </button>
        </div>
      </div>
    </div>
  );
}
