import { useMemo, useState } from 'react';
import { api, type Home, type HomeFlow } from '../../api.js';
import { formatCount, formatDateTime, formatMoney } from '../../model/format.js';
import { startPassed } from '../../model/start-passed.js';
import { declaredEventsOn, triggerWords, type DeclaredEvents } from '../../model/summary.js';
import type { SegmentTitles } from '../../model/segment-words.js';
import { useShopDeclaredEvents } from '../declared-events.js';
import { useShopSegmentTitles } from '../segment-titles.js';
import { useLang, useT } from '../i18n.js';
import { useCan } from '../SignIn.js';
import { NewFlowDialog } from './NewFlowDialog.js';
import { liveProblemWords } from '../../model/live-problem-words.js';
import { simulatedHomeWords } from '../../model/simulated-home-words.js';
import { loadFailureWords } from '../../model/load-failure.js';
import { useRetriedLoad } from '../hooks/useRetriedLoad.js';
import { LoadFailed } from '../LoadFailed.js';
import { PublishRequests } from '../PublishRequests.js';
import { journeyOrder, neverPublished } from '../../model/journey-list.js';

/**
 * The first screen: every journey of the shop with its status, version, next run and what it did
 * in the last 7 or 30 days (entered, in the journey now, messages sent, conversions, revenue,
 * daily entries), and "new journey" from a template or blank.
 */
export function HomeView({ onOpen }: { onOpen: (flowId: string) => void }) {
  const t = useT();
  const lang = useLang();
  // Asked again while the server cannot answer; after that, says what did not load, with 重试.
  const { data: home, failed, retry } = useRetriedLoad<Home>(api.home, []);
  const [days, setDays] = useState<7 | 30>(7);
  const [creating, setCreating] = useState(false);
  const canEdit = useCan('marketer');
  const declared = useShopDeclaredEvents();
  const titles = useShopSegmentTitles();
  const taken = useMemo(() => new Set(home?.flows.map((f) => f.id) ?? []), [home]);
  // 待审批的发布 (PublishRequests) and the rows of the journeys waiting for approval read the same list.
  const [requestsRound, setRequestsRound] = useState(0);
  const requests = useRetriedLoad(() => api.publishRequests({ status: 'all' }), [requestsRound]);
  const pending = useMemo(() => new Map((requests.data?.requests ?? []).filter((r) => r.status === 'pending').map((r) => [r.flowId, r.id])), [requests.data]);
  const liveVersions = useMemo(() => new Map(home?.flows.map((f) => [f.id, f.version]) ?? []), [home]);
  return (
    <div className="home" data-testid="home">
      <div className="home-head">
        <h2>{t('home.title')}</h2>
        <span className="grow" />
        <span className="segmented">
          {([7, 30] as const).map((d) => (
            <button type="button" key={d} className={days === d ? 'active' : ''} onClick={() => setDays(d)} data-testid={`days-${d}`}>
              {t(`home.last${d}`)}
            </button>
          ))}
        </span>
        <button type="button" className="primary" onClick={() => setCreating(true)} data-testid="new-journey" disabled={!canEdit} title={canEdit ? '' : t('draft.readOnlyHelp')}>
          + {t('home.new')}
        </button>
      </div>
      {failed && <LoadFailed words={loadFailureWords(lang, 'home', failed.error)} retry={retry} testId="home-load-failed" />}
      <PublishRequests requests={requests} reload={() => setRequestsRound((n) => n + 1)} timezone={home?.timezone} now={home?.now} liveVersions={liveVersions} onOpen={onOpen} onDecided={retry} />
      {!home && !failed && <p>{t('home.loading')}</p>}
      {home && (
        <table className="home-table" data-testid="home-table">
          <thead>
            <tr>
              <th>{t('home.name')}</th>
              <th>{t('home.status')}</th>
              <th>{t('home.trigger')}</th>
              <th>{t('home.nextRun')}</th>
              <th className="num" title={t('home.enteredHelp')}>{t('home.entered')}</th>
              <th className="num">{t('home.active')}</th>
              <th className="num" title={t('home.sentHelp')}>{t('home.sent')}</th>
              <th className="num" title={t('home.conversionsHelp')}>{t('home.conversions')}</th>
              <th className="num" title={t('home.revenueColumnHelp').replace('{days}', String(home.attributionDays))}>
                {t('home.revenue')}
              </th>
              <th>{t('home.trend')}</th>
            </tr>
          </thead>
          <tbody>
            {journeyOrder(home.flows, lang).map((f) => (
              <FlowRow key={f.id} f={f} pendingRequest={pending.get(f.id) ?? null} now={home.now} days={days} timezone={home.timezone} declared={declared} titles={titles} onOpen={() => onOpen(f.id)} />
            ))}
          </tbody>
        </table>
      )}
      {home && !home.flows.length && <p className="empty">{t('home.empty')}</p>}
      {creating && (
        <NewFlowDialog
          taken={taken}
          onClose={() => setCreating(false)}
          onCreated={(id) => {
            setCreating(false);
            onOpen(id);
          }}
        />
      )}
      <p className="help">{t('home.revenueHelp').replace('{days}', String(home?.attributionDays ?? 7))}</p>
    </div>
  );
}

function FlowRow({ f, pendingRequest, now, days, timezone, declared, titles, onOpen }: { f: HomeFlow; pendingRequest: number | null; now: number; days: 7 | 30; timezone: string; declared: DeclaredEvents; titles: SegmentTitles; onOpen: () => void }) {
  const t = useT();
  const lang = useLang();
  const w = days === 7 ? f.last7 : f.last30;
  const segment = (f.trigger as { segment?: string } | null)?.segment;
  const unpublished = (f.draft || f.fileChanged === true) && f.version !== null;
  const simulated = simulatedHomeWords(lang, f.simulatedAt, timezone);
  return (
    <tr className="home-row" data-testid={`home-flow-${f.id}`} onClick={onOpen}>
      <td>
        <a
          data-content
          href={`#/flows/${f.id}`}
          onClick={(e) => {
            e.preventDefault();
            onOpen();
          }}
        >
          {f.name}
        </a>
        <div className="muted" data-content>
          {f.id}
        </div>
      </td>
      <td>
        <span className={`status status-${f.status}`} data-testid="home-status">{t(`status.${f.status}`)}</span>
        {f.version !== null && <span className="muted"> v{f.version}</span>}
        {/* Never published: when its draft was last saved (an abandoned new journey shows its old date), or that it is only its file. */}
        {neverPublished(f) && (
          <div className="muted" data-testid="home-never-published">
            {f.draft ? t('home.draftSaved').replace('{t}', formatDateTime(lang, f.draft.updatedAt, timezone)) : t('home.fromFile')}
          </div>
        )}
        {unpublished && <div className="badge-unpublished">{t('draft.unpublished')}</div>}
        {pendingRequest !== null && (
          <div className="badge-unpublished" data-testid="home-pending-approval">
            {t('approval.badge').replace('{id}', String(pendingRequest))}
          </div>
        )}
        {simulated && (
          <div className="badge-simulated" data-testid="home-simulated">
            {simulated}
          </div>
        )}
        {(f.liveProblems ?? []).map((p, i) => (
          <div key={i} className="badge-expired" role="alert" data-testid="home-live-problem">
            {liveProblemWords(lang, f.version, p)}
          </div>
        ))}
        {startPassed(f, now) && (
          <div className="badge-expired" data-testid="home-expired" title={t('home.expiredHelp')}>
            {t('home.expired')}
          </div>
        )}
      </td>
      {/* A declared event in the shop's words, a segment by its title, as its card says them; the raw names in the tooltip. */}
      <td title={[...declaredEventsOn({ id: 'entry', type: 'entry', trigger: f.trigger }, declared), ...(segment && titles.has(segment) ? [segment] : [])].join(', ') || undefined} data-testid="home-trigger">
        <Named text={triggerWords(lang, f.trigger, timezone, declared, titles)} name={segment} />
      </td>
      <td>{f.nextRun ? formatDateTime(lang, f.nextRun, timezone) : f.status === 'active' && (f.trigger as { type?: string } | null)?.type === 'event' ? t('home.onEvent') : '—'}</td>
      <td className="num" data-testid="stat-entered">{formatCount(lang, w.entered)}</td>
      <td className="num" data-testid="stat-active">{formatCount(lang, f.active)}</td>
      <td className="num" data-testid="stat-sent">{formatCount(lang, w.sent)}</td>
      <td className="num" data-testid="stat-conversions">{formatCount(lang, w.conversions)}</td>
      <td className="num" data-testid="stat-revenue">{formatMoney(lang, w.revenue)}</td>
      <td>
        <Sparkline values={days === 7 ? f.daily.slice(-7) : f.daily} label={t('home.trendHelp')} />
      </td>
    </tr>
  );
}

/** Daily entries as a small line; a flat line at the bottom when nobody entered. */
export function Sparkline({ values, label }: { values: number[]; label: string }) {
  const w = 90;
  const h = 22;
  const max = Math.max(1, ...values);
  const step = values.length > 1 ? w / (values.length - 1) : w;
  const pts = values.map((v, i) => `${(i * step).toFixed(1)},${(h - 2 - (v / max) * (h - 4)).toFixed(1)}`).join(' ');
  return (
    <svg className="sparkline" width={w} height={h} role="img" aria-label={label}>
      <title>{`${label}: ${values.join(', ')}`}</title>
      <polyline points={pts} fill="none" stroke="#2563eb" strokeWidth="1.5" />
    </svg>
  );
}

/** Words with a name of the shop's own inside (a segment file), the name marked as content. */
export function Named({ text, name }: { text: string; name?: string }) {
  if (!name || !text.includes(name)) return <>{text}</>;
  const i = text.indexOf(name);
  return (
    <>
      {text.slice(0, i)}
      <span data-content>{name}</span>
      {text.slice(i + name.length)}
    </>
  );
}
