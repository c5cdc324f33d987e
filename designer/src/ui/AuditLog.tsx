import { useEffect, useState } from 'react';
import { auth, type AuditEntry } from '../api.js';

/**
 * The audit log for admins: who saved, published, paused, stopped, changed the policy or a block
 * list, imported or exported customer data, managed accounts — newest first, with what changed.
 */
export function AuditLog({ onClose }: { onClose: () => void }) {
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [more, setMore] = useState(true);

  const load = async (before?: number) => {
    try {
      const r = await auth.audit(before);
      setEntries((old) => (before ? [...old, ...r.entries] : r.entries));
      setMore(r.entries.length === 100);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  useEffect(() => {
    void load();
  }, []);

  return (
    <div className="audit-overlay" role="dialog" aria-label="Audit log" data-testid="audit">
      <div className="audit-panel">
        <header>
          <h2>审计日志 Audit log</h2>
          <button type="button" onClick={onClose} data-testid="audit-close">
            ×
          </button>
        </header>
        {error && <p className="signin-error">{error}</p>}
        <table>
          <thead>
            <tr>
              <th>时间 Time (UTC)</th>
              <th>谁 Who</th>
              <th>操作 Action</th>
              <th>对象 Target</th>
              <th>变更 What changed</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id} data-testid="audit-row">
                <td>{new Date(e.at).toISOString().slice(0, 19).replace('T', ' ')}</td>
                <td>{e.actor}</td>
                <td>{e.action}</td>
                <td>{e.target}</td>
                <td>
                  <Detail detail={e.detail} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {more && entries.length > 0 && (
          <button type="button" onClick={() => load(entries[entries.length - 1].id)}>
            更早 Older
          </button>
        )}
      </div>
    </div>
  );
}

function Detail({ detail }: { detail: Record<string, unknown> }) {
  const keys = Object.keys(detail);
  if (!keys.length) return null;
  const short = keys
    .filter((k) => k !== 'before' && k !== 'after')
    .map((k) => `${k}: ${typeof detail[k] === 'object' ? JSON.stringify(detail[k]) : String(detail[k])}`)
    .join(', ');
  const diff = typeof detail.before === 'string' || typeof detail.after === 'string';
  return (
    <>
      {short}
      {diff && (
        <details>
          <summary>before / after</summary>
          <pre>{String(detail.before ?? '')}</pre>
          <pre>{String(detail.after ?? '')}</pre>
        </details>
      )}
    </>
  );
}
