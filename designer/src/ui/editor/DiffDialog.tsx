import { retried } from '../../model/retried.js';
import { loadFailureWords } from '../../model/load-failure.js';
import { useEffect, useState } from 'react';
import { api } from '../../api.js';
import { hasChanges, nodeChanges, sideBySide, type DiffRow, type NodeChanges } from '../../model/diff.js';
import type { DraftFlow } from '../../model/types.js';
import { changeLines } from '../../model/change-words.js';
import { useLang, useT } from '../i18n.js';
import { DiffTable } from './DiffTable.js';

/** The draft next to the running version: what changed, step by step and line by line; publish or discard from here. */
export function DiffDialog({ flowId, liveVersion, draft, onClose, onPublish, onDiscard, canPublish }: { flowId: string; liveVersion: number; draft: DraftFlow; onClose: () => void; onPublish: () => void; onDiscard: () => void; canPublish: boolean }) {
  const t = useT();
  const lang = useLang();
  const [rows, setRows] = useState<DiffRow[] | null>(null);
  const [changes, setChanges] = useState<NodeChanges | null>(null);
  const [liveFlow, setLiveFlow] = useState<DraftFlow | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    // Asked again while the server cannot answer; then why, in words (it said "Service Unavailable").
    Promise.all([retried(() => api.version(flowId, liveVersion)), retried(() => api.validate(draft))])
      .then(([live, mine]) => {
        setRows(sideBySide(live.text, mine.text));
        setChanges(nodeChanges(live.flow, draft));
        setLiveFlow(live.flow);
      })
      .catch((e: unknown) => setError(loadFailureWords(lang, 'diff', e).text));
  }, [flowId, liveVersion, draft]);
  return (
    <div className="modal" data-testid="diff-dialog">
      <div className="modal-body wide">
        <h3>{t('diff.title').replace('{v}', String(liveVersion))}</h3>
        {error && <div className="message message-error">{error}</div>}
        {changes && (
          <ul className="diff-summary" data-testid="diff-summary">
            {!hasChanges(changes) && <li>{t('diff.none')}</li>}
            {changeLines(lang, liveFlow, draft, changes).map((l) => (
              <li key={`${l.kind}:${l.id ?? ''}`} className={l.kind === 'settings' ? undefined : l.kind}>
                {l.text}
              </li>
            ))}
          </ul>
        )}
        <p className="help">{t('diff.help')}</p>
        {rows && <DiffTable rows={rows} left={t('diff.live').replace('{v}', String(liveVersion))} right={t('diff.draft')} testId="diff-table" />}
        <div className="modal-actions">
          <button type="button" onClick={onClose}>
            {t('close')}
          </button>
          <button type="button" onClick={onDiscard} data-testid="diff-discard">
            {t('draft.discard')}
          </button>
          <button type="button" className="primary" onClick={onPublish} disabled={!canPublish} data-testid="diff-publish">
            {t('tb.publishChanges')}
          </button>
        </div>
      </div>
    </div>
  );
}
