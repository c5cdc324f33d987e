import { useState } from 'react';
import { api } from '../api.js';
import { outcomeLabel } from '../model/i18n.js';
import { useLang, useT } from './i18n.js';

interface CustomerRow {
  id: number;
  externalId: string;
  name: string;
}

/** Search a customer; see their facts, journeys (every step) and why each send happened or was held back. */
export function Customers() {
  const t = useT();
  const lang = useLang();
  const [q, setQ] = useState('');
  const [rows, setRows] = useState<CustomerRow[]>([]);
  const [detail, setDetail] = useState<{ customer: Record<string, unknown>; journey: Record<string, any> } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const search = async () => {
    try {
      const r = (await api.customers(q)) as { items: CustomerRow[] };
      setRows(r.items);
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const open = async (c: CustomerRow) => {
    try {
      const [customer, journey] = await Promise.all([api.customer(c.externalId), api.journey(c.id)]);
      setDetail({ customer, journey });
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const facts = (detail?.customer.facts ?? {}) as Record<string, unknown>;
  return (
    <div className="customers">
      <div className="customers-search">
        <input placeholder={t('customers.search')} value={q} onChange={(e) => setQ(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && search()} data-testid="customer-search" />
        <button type="button" onClick={search}>
          🔍
        </button>
        {error && <span className="error">{error}</span>}
      </div>
      <div className="customers-body">
        <ul className="customer-list">
          {rows.map((c) => (
            <li key={c.id}>
              <button type="button" className="link" onClick={() => open(c)}>
                {c.externalId} · {c.name}
              </button>
            </li>
          ))}
        </ul>
        {detail && (
          <div className="customer-detail">
            <h3>{String(detail.customer.name ?? '')} ({String(detail.customer.externalId ?? '')})</h3>
            <h4>{t('customers.facts')}</h4>
            <table className="facts">
              <tbody>
                {Object.entries(facts).map(([k, v]) => (
                  <tr key={k}>
                    <th>{k}</th>
                    <td>{Array.isArray(v) ? v.join(', ') : String(v ?? '—')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <h4>{t('customers.journeys')}</h4>
            {(detail.journey.journeys ?? []).map((j: any) => (
              <div key={j.enrollmentId} className="journey">
                <b>{j.flowId}</b> {j.journeyKey ? `#${j.journeyKey}` : ''} · {j.status} {j.exitReason ? `(${j.exitReason})` : ''}
                <ol>
                  {j.steps.map((s: any, i: number) => (
                    <li key={i}>
                      {s.at?.slice(0, 16).replace('T', ' ')} · {s.node} · {outcomeLabel(lang, s.outcome)}
                    </li>
                  ))}
                </ol>
              </div>
            ))}
            <h4>{t('customers.why')}</h4>
            <table className="sends">
              <tbody>
                {(detail.journey.sends ?? []).map((s: any) => (
                  <tr key={s.id}>
                    <td>{s.flowId}/{s.node}</td>
                    <td>{s.channel}</td>
                    <td>{s.status}</td>
                    <td>{s.why ?? s.reason ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </div>
  );
}
