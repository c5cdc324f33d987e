import { api, ApiError, type ExperimentReport } from '../api.js';
import { useRetriedLoad } from './hooks/useRetriedLoad.js';
import { loadFailureWords } from '../model/load-failure.js';
import { LoadFailed } from './LoadFailed.js';
import { decisionWords } from '../model/decision-words.js';
import { intervalChart } from '../model/experiment-chart.js';
import { asOfWords, experimentMoney } from '../model/experiment-money.js';
import { formatPercent } from '../model/format.js';
import { overallTestWords } from '../model/overall-test-words.js';
import { notEnoughWords, pValueText, reportWarningWords, type WarningPart } from '../model/report-warning-words.js';
import type { DraftNode } from '../model/types.js';
import { useLang, useT } from './i18n.js';

const pct = (v: number) => formatPercent(v);
const notFoundAsNull = (e: unknown) => {
  if (e instanceof ApiError && e.status === 404) return null;
  throw e;
};

/**
 * For analysts, on a split that is an experiment: arms side by side (GET /api/experiments/:id/report)
 * with response rates and their intervals drawn on one scale, lift against the control with
 * p-value, probability best, and the recorded winner decision.
 */
export function ExperimentPanel({ node, simulated, timezone }: { node: DraftNode; simulated?: ExperimentReport; timezone?: string }) {
  const t = useT();
  const lang = useLang();
  const id = (node.experiment as { id?: string } | undefined)?.id;
  // Not published yet: no report (204), or none saved yet names it (404: a split just drawn, its draft
  // not yet saved). Any other failure is said as one (it said 尚未发布 too), with 重试.
  const asked = !!id && !simulated;
  const loaded = useRetriedLoad(async () => (asked ? { report: await api.experiment(id!).catch(notFoundAsNull) } : null), [asked, id]);
  if (!id) return null;
  const report = simulated ?? loaded.data?.report ?? null;
  if (!report)
    return loaded.failed || loaded.data ? (
      <div className="experiment" data-testid="experiment">
        <h4>{t('exp.title')}</h4>
        {loaded.failed ? <LoadFailed words={loadFailureWords(lang, 'experiment', loaded.failed.error)} retry={loaded.retry} testId="experiment-failed" /> : <small>{t('exp.unpublished')}</small>}
      </div>
    ) : null;
  // A test-then-roll-out split's decision: which arm everyone now goes down and why. Shown with
  // or without enough data (the server decides "default arm, not enough data" too).
  const armName = (arm: string) => report.arms.find((a) => a.arm === arm)?.label ?? arm;
  const rollsOut = !!(node.experiment as { test?: unknown } | undefined)?.test;
  const words = report.decision ? decisionWords(lang, report.decision) : null;
  const decision = (report.decision || rollsOut) && (
    <div className="exp-decision" data-testid="exp-decision" title={words?.known ? report.decision?.reason : undefined}>
      {t('exp.decision')}：
      {words
        ? words.parts.map((p, i) => (typeof p === 'string' ? p : <span key={i} data-content>{armName(p.arm)}</span>))
        : t('exp.noDecision')}
      {words && !words.known && (
        <>
          {' '}
          <span className="note" data-content lang="en">
            {report.decision!.reason}
          </span>
        </>
      )}
    </div>
  );
  // Words with the shop's arm names apart (content, not translated).
  const say = (parts: WarningPart[]) => parts.map((p, i) => (typeof p === 'string' ? p : <span key={i} data-content>{armName(p.arm)}</span>));
  // The server's warnings in the marketer's language from their codes; one the words do not know
  // (a newer server) as the server wrote it. `skip`: the code the "not enough" note already says.
  const warnings = (skip?: string) =>
    report.warnings
      .filter((w) => w.code !== skip)
      .map((w, i) => {
        const ww = reportWarningWords(lang, w, { simulated: !!simulated });
        return (
          <div key={i} className="note" data-testid="exp-warning" data-code={w.code} {...(ww.known ? { title: w.message } : { 'data-content': true, lang: 'en' })}>
            {say(ww.parts)}
          </div>
        );
      });
  // Revenue, cost, incremental revenue and ROI per arm, as `rekindle report` prints them: the arm
  // that answers best is not always the one that pays (an SMS arm can win on rate, lose on cost).
  const moneyRows = experimentMoney(lang, report.arms, report.alpha);
  // Below enough data only what is counted (revenue, cost), as the CLI's text: incremental revenue
  // and ROI of a handful of customers are estimates that read like findings.
  const money = (estimated: boolean) =>
    moneyRows && (
      <table className="exp-table exp-money" data-testid="exp-money">
        <thead>
          <tr>
            <th>{t('exp.arm')}</th>
            <th>{t('exp.revenue')}</th>
            {estimated && <th>{t('exp.perCustomer')}</th>}
            <th title={t('exp.costHelp')}>{t('exp.cost')}</th>
            {estimated && <th title={t('exp.incrementalHelp')}>{t('exp.incremental')}</th>}
            {estimated && <th title={t('exp.roiHelp')}>ROI</th>}
          </tr>
        </thead>
        <tbody>
          {moneyRows.map((m) => (
            <tr key={m.arm} data-testid={`exp-money-${m.arm}`}>
              <td data-content>{m.name}</td>
              <td>{m.revenue}</td>
              {estimated && <td>{m.perCustomer}</td>}
              <td>{m.cost}</td>
              {estimated && <td>{m.incremental}</td>}
              {estimated && (
                <td title={[m.belowCost && t('exp.roiBelowCost'), m.withinChance && t('exp.roiWithinChance')].filter(Boolean).join('\n') || undefined} data-testid={`exp-roi-${m.arm}`}>
                  {m.roi}
                </td>
              )}
            </tr>
          ))}
        </tbody>
        {estimated && moneyRows.some((m) => m.withinChance) && (
          <caption className="help exp-roi-note" data-testid="exp-roi-note">
            {t('exp.roiWithinChance')}
          </caption>
        )}
      </table>
    );
  const asOf = asOfWords(lang, report.asOf, timezone);
  // The published test's report as a file for the analyst's spreadsheet: the API's CSV with the
  // byte order mark Excel on Chinese Windows needs for the arm labels. A simulation's figures are
  // not the live report's, so no link under them.
  const asOfLine = (asOf || !simulated) && (
    <small className="help exp-as-of">
      {asOf && <span data-testid="exp-as-of">{asOf}</span>}
      {!simulated && (
        <>
          {' '}
          <a href={`/api/experiments/${encodeURIComponent(id)}/report?format=csv&excel=1`} download={`${id}.csv`} title={t('exp.csvHelp')} data-testid="exp-csv">
            {t('exp.csv')}
          </a>
        </>
      )}
    </small>
  );
  // Below the server's minimum per arm, or before the control's first response, rates and P(best)
  // say nothing yet: say so (and why) instead of 33.3%.
  if (!report.enoughData.enough) {
    const why = notEnoughWords(lang, report.enoughData);
    return (
      <div className="experiment" data-testid="experiment">
        <h4>
          {t('exp.title')} {simulated && <small>（{t('exp.simulated')}）</small>}
        </h4>
        <p className="note" data-testid="exp-not-enough">
          {say(why.parts)}
        </p>
        <table className="exp-table">
          <thead>
            <tr>
              <th>{t('exp.arm')}</th>
              <th>{t('exp.assigned')}</th>
              <th title={t('exp.exposedHelp')}>{t('exp.exposed')}</th>
              <th>{t('exp.responders')}</th>
            </tr>
          </thead>
          <tbody>
            {report.arms.map((a) => (
              <tr key={a.arm}>
                <td data-content>{a.label ?? a.arm}</td>
                <td>{a.assigned}</td>
                <td data-testid={`exp-exposed-${a.arm}`}>{a.holdout ? '—' : a.exposed}</td>
                <td>{a.responders}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {money(false)}
        {asOfLine}
        {decision}
        {warnings(why.said)}
      </div>
    );
  }
  const chart = intervalChart(report.arms, { width: 330, rowHeight: 22, left: 90, right: 10 });
  return (
    <div className="experiment" data-testid="experiment">
      <h4>
        {t('exp.title')} {simulated && <small>（{t('exp.simulated')}）</small>}
      </h4>
      <svg width={330} height={chart.height + 18} role="img" aria-label={t('exp.rate')}>
        {chart.ticks.map((k) => (
          <g key={k.x}>
            <line x1={k.x} x2={k.x} y1={0} y2={chart.height} stroke="#e5e7eb" />
            <text x={k.x} y={chart.height + 12} fontSize={9} textAnchor="middle" fill="#6b7280">
              {k.text}
            </text>
          </g>
        ))}
        {chart.rows.map((r) => (
          <g key={r.arm}>
            <text x={0} y={r.y + 4} fontSize={10} data-content>
              {r.name}
            </text>
            <line x1={r.low} x2={r.high} y1={r.y} y2={r.y} stroke="#2563eb" strokeWidth={2} />
            <circle cx={r.x} cy={r.y} r={4} fill="#2563eb" />
          </g>
        ))}
      </svg>
      <table className="exp-table">
        <thead>
          <tr>
            <th>{t('exp.arm')}</th>
            <th>{t('exp.assigned')}</th>
            <th title={t('exp.exposedHelp')}>{t('exp.exposed')}</th>
            <th>{t('exp.responders')}</th>
            <th>{t('exp.rate')}</th>
            <th>{t('exp.lift')}</th>
            <th>{t('exp.p')}</th>
            <th>{t('exp.best')}</th>
          </tr>
        </thead>
        <tbody>
          {report.arms.map((a) => (
            <tr key={a.arm} className={a.arm === report.control ? 'control' : ''}>
              <td data-content>{a.label ?? a.arm}</td>
              <td>{a.assigned}</td>
              {/* Who was sent the arm's message: a rate of the arm over customers most of whom got nothing measures the assignment, not the message (the low-exposure warning says so). */}
              <td data-testid={`exp-exposed-${a.arm}`}>{a.holdout ? '—' : a.exposed}</td>
              <td>{a.responders}</td>
              <td>
                {pct(a.responseRate)} [{pct(a.responseRateCi.low)}, {pct(a.responseRateCi.high)}]
              </td>
              <td>{a.vsControl?.relative != null ? formatPercent(a.vsControl.relative, { plus: true }) : '—'}</td>
              <td className={a.vsControl?.significant ? 'significant' : ''}>{a.vsControl ? pValueText(a.vsControl.pValue) : '—'}</td>
              <td>{a.probabilityBest === null ? '—' : pct(a.probabilityBest)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {/* Whether the arms differ at all, as `rekindle report` says under its table: the lifts and P(best) above read like findings without it. */}
      <p className={`note exp-overall${report.overall.significant ? ' significant' : ''}`} data-testid="exp-overall">
        {overallTestWords(lang, report)}
      </p>
      {money(true)}
      {asOfLine}
      {decision}
      {warnings()}
    </div>
  );
}
