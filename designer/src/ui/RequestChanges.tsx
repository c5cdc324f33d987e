import { useEffect, useState } from 'react';
import { api } from '../api.js';
import { changeLines } from '../model/change-words.js';
import { hasChanges, nodeChanges, sideBySide, type DiffRow, type NodeChanges } from '../model/diff.js';
import { loadFailureWords } from '../model/load-failure.js';
import type { PublishRequest } from '../model/publish-request-words.js';
import { retried } from '../model/retried.js';
import type { DraftFlow } from '../model/types.js';
import { DiffTable } from './editor/DiffTable.js';
import { useLang, useT } from './i18n.js';

/**
 * 查看改动 of a publish request: exactly what would go live on approval (the request's journey,
 * not the draft, which may have moved on), against the running version step by step and line by
 * line — or the whole journey on its first publish. Reads only.
 */
export function RequestChanges({ request, liveVersion, onClose }: { request: PublishRequest; liveVersion: number | null; onClose: () => void }) {
  const t = useT();
  const lang = useLang();
  const [rows, setRows] = useState<DiffRow[] | null>(null);
  const [changes, setChanges] = useState<{ live: DraftFlow | null; asked: DraftFlow; changes: NodeChanges | null } | null>(null);
  const [fromFile, setFromFile] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    (async () => {
      const full = await retried(() => api.publishRequest(request.id));
      if (full.flow === null) return setFromFile(true);
      const asked = full.flow as DraftFlow;
      const [live, mine] = await Promise.all([liveVersion === null ? null : retried(() => api.version(request.flowId, liveVersion)), retried(() => api.validate(asked))]);
      setRows(sideBySide(live?.text ?? '', mine.text));
      setChanges({ live: live?.flow ?? null, asked, changes: live ? nodeChanges(live.flow, asked) : null });
    })().catch((e: unknown) => setError(loadFailureWords(lang, 'diff', e).text));
  }, [request.id, request.flowId, liveVersion, lang]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  const title = liveVersion === null ? t('approval.changesFirst') : t('approval.changesTitle').replace('{v}', String(liveVersion));
  return (
    <div className="modal" data-testid="request-changes">
      <div className="modal-body wide">
        <h3>
          {t('approval.requestNo').replace('{id}', String(request.id))} <span data-content>{request.summary.name}</span> · {title}
        </h3>
        {error && <div className="message message-error">{error}</div>}
        {fromFile && <p className="help">{t('approval.fromFile').replace('{file}', `rules/flows/${request.flowId}.flow.yaml`)}</p>}
        {changes?.changes && (
          <ul className="diff-summary" data-testid="request-changes-summary">
            {!hasChanges(changes.changes) && <li>{t('diff.none')}</li>}
            {changeLines(lang, changes.live, changes.asked, changes.changes).map((l) => (
              <li key={`${l.kind}:${l.id ?? ''}`} className={l.kind === 'settings' ? undefined : l.kind}>
                {l.text}
              </li>
            ))}
          </ul>
        )}
        {rows && (
          <DiffTable rows={rows} left={liveVersion === null ? '' : t('diff.live').replace('{v}', String(liveVersion))} right={t('approval.requestNo').replace('{id}', String(request.id))} testId="request-changes-table" all={liveVersion === null} />
        )}
        <div className="modal-actions">
          <button type="button" onClick={onClose} data-testid="request-changes-close">
            {t('close')}
          </button>
        </div>
      </div>
    </div>
  );
}
