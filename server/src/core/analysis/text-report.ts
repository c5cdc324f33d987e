import { UNKNOWN_PROVINCE } from './breakdown.js';
import { thinSampleWords } from './thin-sample.js';
import type { Count } from './breakdown.js';
import type { LifecycleReport, RfmReport } from './report.js';
import { moneyBand, yuan } from '../text/money.js';

/** The human-readable report of `rekindle analyse` (plain text, fixed-width columns). */
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
/** Text only: JSON keeps the exact numbers. */
const round = (x: number | null, digits: number) => (x === null ? '-' : Number.isInteger(x) ? String(x) : x.toFixed(digits));
const pad = (s: string | number, w: number) => String(s).padStart(w);

function counts(title: string, rows: readonly Count[], limit = rows.length): string[] {
  const out = [title];
  for (const r of rows.slice(0, limit)) out.push(`  ${r.key.padEnd(24)} ${pad(r.count, 8)}  ${pad(pct(r.share), 6)}`);
  if (rows.length > limit) out.push(`  … ${rows.length - limit} more`);
  return out;
}

export function formatLifecycle(l: LifecycleReport): string {
  const d = l.intervals.distribution;
  const out: string[] = [`Lifecycle analysis at ${l.at}`, ''];
  out.push(
    `Repurchase intervals: ${d.count} intervals from ${l.intervals.repeatCustomers} repeat customers ` +
      `(of ${l.intervals.customers} buyers; ${l.intervals.sameDayMerged} same-day orders merged into one visit)`,
  );
  if (d.count === 0) {
    out.push('  no customer bought on two different days: no thresholds can be suggested');
  } else {
    out.push(`  mean ${round(d.mean, 1)} days, median ${d.median}, min ${d.min}, max ${d.max}`);
    out.push('  percentiles (days): ' + Object.entries(d.percentiles).map(([k, v]) => `${k} ${v}`).join(', '));
    out.push('  histogram:');
    const widest = Math.max(...d.histogram.map((b) => b.count), 1);
    for (const b of d.histogram) {
      out.push(`    ${b.label.padStart(8)} days ${pad(b.count, 7)} ${pad(pct(b.share), 6)} ${pad(pct(b.cumulativeShare), 6)} cum  ${'#'.repeat(Math.round((b.count / widest) * 30))}`);
    }
  }
  out.push('');
  const s = l.suggestion;
  out.push('Lifecycle thresholds (recencyDays up to):     suggested   current (rules/shop.yaml)');
  for (const k of ['activeDays', 'silentDays', 'sleepingDays'] as const) {
    out.push(`  ${k.padEnd(42)} ${pad(s ? s.thresholds[k] : '-', 9)}   ${pad(l.current[k], 7)}`);
  }
  if (l.thin) out.push(`  WARNING ${thinSampleWords(l.thin)}`);
  if (s) {
    const r = s.realisedShares;
    out.push(
      `  cuts at ${s.requestedShares.map(pct).join(' / ')} of intervals; realised: active ${pct(r.active)}, silent ${pct(r.silent)}, ` +
        `sleeping ${pct(r.sleeping)}, lost ${pct(r.lost)}` + (s.adjusted.length ? ` (moved up to stay increasing: ${s.adjusted.join(', ')})` : ''),
    );
  }
  out.push('');
  out.push('Customers by lifecycle stage:      current   suggested');
  l.stages.current.forEach((c, i) => {
    const sug = l.stages.suggested?.[i];
    out.push(`  ${c.key.padEnd(10)} ${pad(c.count, 8)} ${pad(pct(c.share), 6)}  ${sug ? `${pad(sug.count, 8)} ${pad(pct(sug.share), 6)}` : ''}`);
  });
  return out.join('\n');
}

export function formatRfm(r: RfmReport): string {
  const out: string[] = [`RFM at ${r.at}: ${r.rfm.customers} buyers scored (quintiles, 5 = best), ${r.prospects} prospects without a purchase`];
  const dims = [
    ['R recency days', r.rfm.bands.r],
    ['F orders', r.rfm.bands.f],
    ['M total spent', r.rfm.bands.m],
  ] as const;
  for (const [name, bands] of dims) {
    // M's bands are money: said as money (¥, thousands separators), R's and F's as they are.
    const v = (x: number | null) => (name.startsWith('M') && x !== null ? yuan(x) : x);
    out.push(`  ${name.padEnd(16)} ` + bands.map((b) => `${b.score}: ${b.count}${b.min === null ? '' : ` [${v(b.min)}..${v(b.max)}]`}`).join('  '));
  }
  out.push('  top cells (R F M):');
  for (const c of r.rfm.topCells) out.push(`    ${c.cell} ${c.segment.padEnd(16)} ${pad(c.count, 7)} ${pad(pct(c.share), 6)}`);
  out.push(...counts('  segments:', r.rfm.segments.map((s) => ({ key: s.segment, count: s.count, share: s.share }))).map((l, i) => (i ? '  ' + l : l)));
  out.push('');
  out.push(...counts('Customers by order count:', r.byOrderCount));
  out.push(...counts('Customers by AOV band (buyers):', r.byAov.map((b) => ({ ...b, key: moneyBand(b.key) }))));
  // Data without a province (a CDNOW file) has nothing to break down: a 100% "(unknown)" table says less than this line.
  if (r.byProvince.every((b) => b.key === UNKNOWN_PROVINCE)) out.push('Customers by province: none recorded in the data');
  else out.push(...counts('Customers by province:', r.byProvince, 15));
  return out.join('\n');
}
