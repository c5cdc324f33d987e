import { useState } from 'react';
import { api } from '../api.js';
import { errorText } from '../model/error-words.js';
import { GROUP_BY, groupByLabel, groupRows, type GroupBy, type GroupRow } from '../model/group-response-words.js';
import { useLang, useT } from './i18n.js';

/**
 * For analysts, on a published send step: who answered its message, by customer group (lifecycle
 * stage, order tier, order value band, device, province), each recipient grouped by their facts when
 * the message went out (GET /api/flows/:id/nodes/:node/response-by-group). Read on request, not on
 * opening the step: over a large campaign it recomputes every recipient's facts at their send time.
 */
export function GroupResponsePanel({ flowId, nodeId }: { flowId: string; nodeId: string }) {
  const t = useT();
  const lang = useLang();
  const [by, setBy] = useState<GroupBy>('lifecycleStage');
  const [rows, setRows] = useState<{ by: GroupBy; rows: GroupRow[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const read = async () => {
    setBusy(true);
    setProblem(null);
    try {
      const r = await api.responseByGroup(flowId, nodeId, by);
      setRows({ by, rows: groupRows(lang, by, r.groups) });
    } catch (e) {
      setProblem(errorText(lang, e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="group-response" data-testid="group-response">
      <h4>{t('groups.title')}</h4>
      <div className="group-response-ask">
        <select value={by} onChange={(e) => setBy(e.target.value as GroupBy)} aria-label={t('groups.by')} data-testid="group-response-by">
          {GROUP_BY.map((b) => (
            <option key={b} value={b}>
              {groupByLabel(lang, b)}
            </option>
          ))}
        </select>{' '}
        <button type="button" onClick={() => void read()} disabled={busy} data-testid="group-response-read">
          {t('groups.read')}
        </button>
      </div>
      <small className="help">{t('groups.help')}</small>
      {problem && (
        <p className="error" role="alert" data-testid="group-response-problem">
          {problem}
        </p>
      )}
      {rows &&
        (rows.rows.length ? (
          <table className="exp-table" data-testid="group-response-table">
            <thead>
              <tr>
                <th>{groupByLabel(lang, rows.by)}</th>
                <th>{t('groups.sent')}</th>
                <th>{t('groups.responders')}</th>
                <th>{t('exp.rate')}</th>
                <th>{t('exp.revenue')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.rows.map((r) => (
                <tr key={r.group} data-testid={`group-response-${r.group}`}>
                  <td data-content={rows.by === 'province' ? true : undefined}>{r.name}</td>
                  <td>{r.sent}</td>
                  <td>{r.responders}</td>
                  <td>{r.rate}</td>
                  <td>{r.revenue}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <small className="help" data-testid="group-response-none">
            {t('groups.none')}
          </small>
        ))}
    </div>
  );
}
