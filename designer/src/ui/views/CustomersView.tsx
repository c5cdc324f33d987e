import { LoadFailed } from '../LoadFailed.js';
import { TaobaoImport } from '../TaobaoImport.js';
import { useCan } from '../SignIn.js';
import { loadFailureWords } from '../../model/load-failure.js';
import { useRetriedLoad } from '../hooks/useRetriedLoad.js';
import { Fragment, useEffect, useState } from 'react';
import { api } from '../../api.js';
import { formatDateTime } from '../../model/format.js';
import { deliveryErrorWords, reasonWords } from '../../model/reason-words.js';
import { stepWords } from '../../model/send-step-words.js';
import { answerWords, journeyPath, stepEventWords } from '../../model/journey-path.js';
import { exitReasonWords } from '../../model/exit-reason-words.js';
import { journeyCapNames, journeyStepNames } from '../../model/journey-names.js';
import { missedEntryParts, type MissedEntryView } from '../../model/missed-entry-words.js';
import { notEnteredWords, type NotEnteredView } from '../../model/not-entered-words.js';
import { channelLabel, nodeSummary } from '../../model/summary.js';
import { journeyKeyOf } from '../../model/message-stand-ins.js';
import { moreCustomersWords } from '../../model/customer-search-words.js';
import type { DraftFlow } from '../../model/types.js';
import { customerValueWords, FACT_WORDS, factLabel } from '../../model/words.js';
import { useShopDeclaredEvents } from '../declared-events.js';
import { useShopSegmentTitles } from '../segment-titles.js';
import { useShopPolicyCaps } from '../cap-names.js';
import { useLang, useT } from '../i18n.js';

interface CustomerRow {
  id: number;
  externalId: string;
  name: string;
}

/** Search a customer; see their facts, journeys (every step) and why each send happened or was held back. */
export function CustomersView() {
  const t = useT();
  const lang = useLang();
  const [q, setQ] = useState('');
  const [rows, setRows] = useState<CustomerRow[]>([]);
  const [total, setTotal] = useState<number | undefined>(undefined);
  const [detail, setDetail] = useState<{ customer: Record<string, unknown>; journey: Record<string, any> } | null>(null);
  const [error, setError] = useState<string | null>(null);
  // What the last search asked for: a search that found nobody says so (it showed nothing at all).
  const [searched, setSearched] = useState<string | null>(null);
  const search = async () => {
    try {
      const r = (await api.customers(q)) as { items: CustomerRow[]; total?: number };
      setRows(r.items);
      setTotal(r.total);
      setSearched(q.trim());
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const [flows, setFlows] = useState<Record<string, DraftFlow>>({});
  // Imports are admins' (the API refuses the others): the shop's order export comes in here.
  const isAdmin = useCan('admin');
  // The shop's time zone, asked again while the server cannot answer; if it still does not come the
  // page says times are in the browser's zone (they were, silently, a customer's history hours off).
  const shop = useRetriedLoad(() => api.shop(), []);
  const timezone = shop.data?.timezone;
  // Events named as the cards name them: a declared one by the shop's description.
  const declared = useShopDeclaredEvents();
  const titles = useShopSegmentTitles();
  // Caps by what they limit and arms by their labels, as the live view's cards say them.
  const policyCaps = useShopPolicyCaps();
  // The flows whose files could not be read (not a deleted flow: fileOrNull answers null for that),
  // so the page says why some steps show their id instead of a name, with 重试.
  const [namesFailed, setNamesFailed] = useState<{ ids: string[]; error: unknown } | null>(null);
  const loadStepNames = async (ids: string[]) => {
    const errors: unknown[] = [];
    const loaded = await Promise.all(ids.map((id) => api.fileOrNull(id).catch((e: unknown) => (errors.push(e), undefined))));
    setFlows((f) => ({ ...f, ...Object.fromEntries(loaded.flatMap((x, i) => (x ? [[ids[i], x.flow]] : []))) }));
    const missing = ids.filter((_, i) => loaded[i] === undefined);
    setNamesFailed(missing.length > 0 ? { ids: missing, error: errors[0] } : null);
  };
  const open = async (c: CustomerRow) => {
    try {
      const [customer, journey] = await Promise.all([api.customer(c.externalId), api.journey(c.id)]);
      // The flows the customer went through, for step names in words instead of node ids.
      const seen = [...((journey.journeys as { flowId: string }[] | undefined) ?? []), ...((journey.missedEntries as { flowId: string }[] | undefined) ?? []), ...((journey.notEntered as { flowId: string }[] | undefined) ?? [])];
      const ids = [...new Set(seen.map((j) => j.flowId))].filter((id) => !flows[id]);
      await loadStepNames(ids);
      setDetail({ customer, journey });
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const facts = (detail?.customer.facts ?? {}) as Record<string, unknown>;
  const c = detail?.customer ?? {};
  const title = String(c.name || c.externalId || (c.id ? `#${String(c.id)}` : ''));
  const nodeName = (flowId: string, nodeId: string) => {
    const n = flows[flowId]?.nodes.find((x) => x.id === nodeId);
    return n ? n.label || `${t(`type.${n.type}`)}（${nodeSummary(lang, n, timezone, declared, titles, journeyKeyOf(flows[flowId]))}）` : nodeId;
  };
  const when = (v: unknown) => (typeof v === 'string' ? formatDateTime(lang, Date.parse(v), timezone) : typeof v === 'number' ? formatDateTime(lang, v, timezone) : '—');
  return (
    <div className="customers">
      <div className="customers-search">
        <input placeholder={t('customers.search')} value={q} onChange={(e) => setQ(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && search()} data-testid="customer-search" />
        <button type="button" onClick={search}>
          {t('customers.find')}
        </button>
        {error && <span className="error">{error}</span>}
      </div>
      {shop.failed && <LoadFailed words={loadFailureWords(lang, 'timezone', shop.failed.error)} retry={shop.retry} testId="timezone-failed" />}
      {isAdmin && <TaobaoImport onImported={() => searched !== null && void search()} />}
      <div className="customers-body">
        <ul className="customer-list">
          {searched !== null && rows.length === 0 && !error && (
            <li className="muted" data-testid="customer-none">
              {t('customers.none').replace('{q}', searched)}
            </li>
          )}
          {moreCustomersWords(lang, total, rows.length) && (
            <li className="muted" data-testid="customer-more">
              {moreCustomersWords(lang, total, rows.length)}
            </li>
          )}
          {rows.map((r) => (
            <li key={r.id}>
              <button type="button" className="link" onClick={() => open(r)} data-content>
                {r.externalId} · {r.name}
              </button>
            </li>
          ))}
        </ul>
        {detail && (
          <div className="customer-detail">
            <h3>
              <span data-content>{title}</span> {c.externalId && c.name ? <small className="muted" data-content>{String(c.externalId)}</small> : null}
            </h3>
            {namesFailed && <LoadFailed words={loadFailureWords(lang, 'stepNames', namesFailed.error)} retry={() => void loadStepNames(namesFailed.ids)} testId="step-names-failed" />}
            <h4>{t('customers.facts')}</h4>
            <table className="facts">
              <tbody>
                {Object.entries(facts).map(([k, v]) => (
                  <tr key={k}>
                    <th title={k}>{factLabel(lang, k)}</th>
                    <td data-content={FACT_WORDS[k] ? undefined : ''}>{v === null || v === undefined ? '—' : /At$/.test(k) && typeof v === 'number' ? formatDateTime(lang, v, timezone) : customerValueWords(lang, k, v)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <h4>{t('customers.journeys')}</h4>
            {(detail.journey.journeys ?? []).length === 0 && (
              <p className="muted" data-testid="customer-no-journeys">
                {t('customers.noJourneys')}
              </p>
            )}
            {(detail.journey.journeys ?? []).map((j: any) => (
              <div key={j.enrollmentId} className="journey">
                <b data-content>{flows[j.flowId]?.name ?? j.flowId}</b> {j.journeyKey ? <span data-content>#{j.journeyKey}</span> : ''} · {t(`journey.${j.status}`)} {j.exitReason ? `（${exitReasonWords(lang, j.exitReason, (id) => nodeName(j.flowId, id), declared, journeyCapNames(lang, flows[j.flowId], policyCaps))}）` : ''}
                <ol>
                  {/* The path with the customer's clicks and coupon uses, and the order that ended it. */}
                  {journeyPath(j.steps as any[], j.answers).map((p, i) =>
                    'step' in p ? (
                      <li key={i}>
                        {when(p.step.at)} · <span data-content>{nodeName(j.flowId, p.step.node)}</span> · {stepWords(lang, p.step, detail.journey.sends ?? [], (id) => nodeName(j.flowId, id), declared, journeyStepNames(lang, flows[j.flowId], policyCaps, p.step.node))}
                        {p.step.event && stepEventWords(lang, p.step.event) ? <> · <span data-content>{stepEventWords(lang, p.step.event)}</span></> : null}
                      </li>
                    ) : (
                      <li key={i} className="answer" data-testid="journey-answer">
                        {when(p.answer.at)} · <span data-content>{nodeName(j.flowId, p.answer.node)}</span> · <span data-content>{answerWords(lang, p.answer)}</span>
                      </li>
                    ),
                  )}
                </ol>
              </div>
            ))}
            {(detail.journey.notEntered ?? []).length > 0 && (
              <>
                <h4>{t('customers.notEntered')}</h4>
                <ul className="not-entered" data-testid="customer-not-entered">
                  {(detail.journey.notEntered as NotEnteredView[]).map((n) => (
                    <li key={n.flowId}>
                      <b data-content>{flows[n.flowId]?.name ?? n.flowId}</b>
                      {n.status === 'paused' ? `（${t('customers.paused')}）` : ''} · <span data-content>{notEnteredWords(lang, n, Date.now(), timezone, titles)}</span>
                    </li>
                  ))}
                </ul>
              </>
            )}
            {(detail.journey.missedEntries ?? []).length > 0 && (
              <>
                <h4>{t('customers.noJourney')}</h4>
                <ul className="missed-entries">
                  {(detail.journey.missedEntries as MissedEntryView[]).map((m) => (
                    <li key={`${m.flowId}:${m.eventId}`}>
                      <b data-content>{flows[m.flowId]?.name ?? m.flowId}</b> · {missedEntryParts(lang, m, when, (s) => <span data-content>{s}</span>, declared).map((part, i) => (
                        <Fragment key={i}>{part}</Fragment>
                      ))}
                    </li>
                  ))}
                </ul>
              </>
            )}
            {(detail.journey.sends ?? []).length > 0 && (
              <>
                <h4>{t('customers.why')}</h4>
                <table className="sends">
                  <tbody>
                    {(detail.journey.sends ?? []).map((sd: any) => (
                      <tr key={sd.id}>
                        <td data-content>{nodeName(sd.flowId, sd.node)}</td>
                        <td>{channelLabel(lang, sd.channel)}</td>
                        <td>{t(`send.${sd.status}`)}</td>
                        {sd.status === 'failed' ? <td data-content>{deliveryErrorWords(lang, sd.error)}</td> : <td>{reasonWords(lang, sd.reason ?? '', journeyCapNames(lang, flows[sd.flowId], policyCaps)) || '—'}</td>}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </>
            )}
          </div>
        )}
      </div>
    </div>
  );
}
