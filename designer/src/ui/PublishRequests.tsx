import { useState } from 'react';
import { api, type PublishRequestList } from '../api.js';
import type { PublishRequest } from '../model/publish-request-words.js';
import { errorText } from '../model/error-words.js';
import { formatDateTime } from '../model/format.js';
import { loadFailureWords } from '../model/load-failure.js';
import { requestRights, requestSummaryWords } from '../model/publish-request-words.js';
import { useShopDeclaredEvents } from './declared-events.js';
import type { RetriedLoad } from './hooks/useRetriedLoad.js';
import { useLang, useT } from './i18n.js';
import { LoadFailed } from './LoadFailed.js';
import { RequestChanges } from './RequestChanges.js';
import { useShopSegmentTitles } from './segment-titles.js';
import { useSession } from './SignIn.js';

const RECENT_DAYS = 14;

/**
 * 待审批的发布 on the journeys home (rules/shop.yaml `approval: {publish: true}`): each journey
 * asked to go live, what it does in one line, who asked and their note; another admin approves or
 * rejects it (with a reason) here, the one who asked may withdraw it. Below, the last two weeks'
 * decisions, so a marketer reads why theirs was rejected. Nothing shows while approval is off and
 * no request was ever made.
 */
export function PublishRequests({ requests, reload, timezone, now, liveVersions, onOpen, onDecided }: {
  /** GET /api/publish-requests?status=all, loaded by the home (which also marks the waiting journeys' rows). */
  requests: RetriedLoad<PublishRequestList>;
  /** Reads the requests again (after a decision here). */
  reload: () => void;
  timezone: string | undefined;
  now: number | undefined;
  liveVersions: ReadonlyMap<string, number | null>;
  onOpen: (flowId: string) => void;
  onDecided: () => void;
}) {
  const t = useT();
  const lang = useLang();
  const session = useSession();
  const declared = useShopDeclaredEvents();
  const titles = useShopSegmentTitles();
  const { data, failed, retry } = requests;
  const [said, setSaid] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [rejecting, setRejecting] = useState<number | null>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [viewing, setViewing] = useState<PublishRequest | null>(null);
  if (failed) return <LoadFailed words={loadFailureWords(lang, 'publishRequests', failed.error)} retry={retry} testId="publish-requests-failed" />;
  if (!data) return null;
  // The shop's clock (the home's `now`), as the decisions are dated by it.
  const at = now ?? Date.now();
  const pending = data.requests.filter((r) => r.status === 'pending');
  const recent = data.requests.filter((r) => r.status !== 'pending' && r.status !== 'replaced' && (r.decidedAt ?? 0) > at - RECENT_DAYS * 86_400_000).slice(0, 5);
  if (!data.approvalRequired && !pending.length && !recent.length) return null;
  const when = (ms: number | null) => formatDateTime(lang, ms, timezone);
  const act = async (r: PublishRequest, run: () => Promise<{ version?: number; request: PublishRequest }>, done: string) => {
    setBusy(true);
    setSaid(null);
    try {
      const out = await run();
      setSaid({ kind: 'ok', text: t(done).replace('{id}', String(r.id)).replace('{name}', r.summary.name).replace('{v}', String(out.version ?? '')) });
      setRejecting(null);
      setReason('');
      reload();
      onDecided();
    } catch (e) {
      setSaid({ kind: 'error', text: t('approval.failed').replace('{e}', errorText(lang, e)) });
      reload();
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="publish-requests" data-testid="publish-requests">
      <h3>{t('approval.title')}</h3>
      {said && (
        <div className={`message message-${said.kind}`} role={said.kind === 'error' ? 'alert' : 'status'} data-testid="publish-requests-said">
          {said.text}
        </div>
      )}
      {!pending.length && <p className="muted">{t('approval.none')}</p>}
      <ul className="request-list">
        {pending.map((r) => {
          const rights = requestRights(session?.user ?? null, r);
          return (
            <li key={r.id} data-testid={`publish-request-${r.flowId}`} data-request={r.id}>
              <div>
                <strong data-content>{r.summary.name}</strong> <span className="muted" data-content>{r.flowId}</span> <span className="muted">#{r.id}</span>
              </div>
              <div className="muted">{requestSummaryWords(lang, r.summary, timezone, declared, titles)}</div>
              <div className="muted">{t('approval.asked').replace('{who}', r.requestedBy).replace('{when}', when(r.requestedAt))}</div>
              {r.note && (
                <blockquote data-content data-testid="publish-request-note">
                  {r.note}
                </blockquote>
              )}
              <div className="request-actions">
                <button type="button" className="small" onClick={() => setViewing(r)} data-testid="publish-request-changes">
                  {t('approval.changes')}
                </button>
                <button type="button" className="small" onClick={() => onOpen(r.flowId)}>
                  {t('approval.open')}
                </button>
                <button type="button" className="small primary" disabled={!rights.decide || busy} title={rights.whyNot ? t(rights.whyNot) : ''} data-testid="publish-request-approve" onClick={() => void act(r, () => api.approveRequest(r.id), 'approval.approved')}>
                  {t('approval.approve')}
                </button>
                <button type="button" className="small" disabled={!rights.decide || busy} title={rights.whyNot ? t(rights.whyNot) : ''} data-testid="publish-request-reject" onClick={() => setRejecting(r.id)}>
                  {t('approval.reject')}
                </button>
                {rights.withdraw && (
                  <button type="button" className="small" disabled={busy} data-testid="publish-request-withdraw" onClick={() => void act(r, () => api.withdrawRequest(r.id), 'approval.withdrawn')}>
                    {t('approval.withdraw')}
                  </button>
                )}
                {rights.whyNot && <span className="help">{t(rights.whyNot)}</span>}
              </div>
              {rejecting === r.id && (
                <div className="request-reject">
                  <label>
                    {t('approval.reasonLabel')}
                    <textarea value={reason} placeholder={t('approval.reasonPlaceholder')} onChange={(e) => setReason(e.target.value)} data-testid="publish-request-reason" />
                  </label>
                  <button
                    type="button"
                    className="small"
                    disabled={busy}
                    data-testid="publish-request-reject-confirm"
                    onClick={() => (reason.trim() ? void act(r, () => api.rejectRequest(r.id, reason.trim()), 'approval.rejected') : setSaid({ kind: 'error', text: t('approval.reasonMissing') }))}
                  >
                    {t('approval.confirmReject')}
                  </button>
                  <button type="button" className="small" onClick={() => setRejecting(null)}>
                    {t('cancel')}
                  </button>
                </div>
              )}
            </li>
          );
        })}
      </ul>
      {recent.length > 0 && (
        <>
          <h4>{t('approval.recent')}</h4>
          <ul className="request-list">
            {recent.map((r) => (
              <li key={r.id} data-testid={`publish-decision-${r.flowId}`} data-status={r.status}>
                <span data-content>{r.summary.name}</span> <span className="muted">#{r.id} · {t('approval.asked').replace('{who}', r.requestedBy).replace('{when}', when(r.requestedAt))}</span>
                <div>
                  {t('approval.decided').replace('{who}', r.decidedBy ?? '').replace('{when}', when(r.decidedAt)).replace('{status}', t(`approval.status.${r.status}`))}
                  {r.version !== null && ` · v${r.version}`}
                  {r.reason && (
                    <>
                      {lang === 'zh' ? '：' : ': '}
                      <span data-content data-testid="publish-decision-reason">
                        {r.reason}
                      </span>
                    </>
                  )}
                </div>
              </li>
            ))}
          </ul>
        </>
      )}
      {viewing && <RequestChanges request={viewing} liveVersion={liveVersions.get(viewing.flowId) ?? null} onClose={() => setViewing(null)} />}
    </section>
  );
}
