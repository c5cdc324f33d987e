import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { cdnowAnalysisInput } from '../../core/analysis/cdnow-input.js';
import { lifecycleReport, rfmReport, type AnalysisInput } from '../../core/analysis/report.js';
import { withLifecycleThresholds } from '../../core/analysis/shop-yaml.js';
import { formatLifecycle, formatRfm } from '../../core/analysis/text-report.js';
import { parseShares } from '../../core/analysis/thresholds.js';
import { thinSampleWords } from '../../core/analysis/thin-sample.js';
import { parseShopInstant } from '../../core/shop-instant.js';
import { CDNOW_NOW, CDNOW_TIMEZONE, CdnowFormatError, parseCdnow } from '../../core/data/cdnow.js';
import { bgnbdReport, formatBgnbd, type BgnbdReport } from '../../core/analysis/bgnbd-report.js';
import { shopIsoTime, zonedInstant } from '../../core/engine/local-time.js';
import { loadPurchases, storePredictions } from '../../persistence/predictions.js';
import { loadAnalysisInput } from '../../persistence/analysis-source.js';
import { ordersAfter, type OrdersAfter } from '../../persistence/orders-after.js';
import type { RegisterCommand } from './index.js';
import { CliError, commandContext, output, withDatabase, type CommandContext } from '../context.js';

interface AnalyseOptions {
  model?: string;
  until?: string;
  horizon: string;
  store: boolean;
  at?: string;
  cdnow?: string;
  shares?: string;
  writeThresholds?: boolean;
  force?: boolean;
}

/**
 * `rekindle analyse`: the shop's repurchase-interval distribution, lifecycle thresholds
 * suggested from it (seed 002), stage counts, RFM quintiles and customer counts by order count,
 * AOV and region — from the shop database, or straight from a CDNOW file (no database).
 */
export const registerAnalyse: RegisterCommand = (program) => {
  program
    .command('analyse')
    .alias('analyze')
    .description("lifecycle thresholds from the shop's own repurchase intervals, RFM quintiles and customer counts")
    .option('--at <iso>', 'analyse the shop as at this instant (default: now; 1998-07-01 for --cdnow)')
    .option('--cdnow <file>', 'analyse a CDNOW purchase file instead of the database')
    .option('--shares <a,b,c>', 'cumulative interval shares cut for active/silent/sleeping', '0.3,0.6,0.9')
    .option('--write-thresholds', "write the suggested thresholds into rules/shop.yaml's lifecycle block (comments kept)")
    .option('--force', 'with --write-thresholds: write them even from a thin sample')
    .option('--model <name>', 'fit a customer-base model instead: bgnbd (P(alive), expected purchases)')
    .option('--until <date>', 'with --model: end of the calibration period (default: now; CDNOW: 1998-06-30)')
    .option('--horizon <days>', 'with --model: predict purchases over the next N days', '90')
    .option('--no-store', 'with --model: print only, do not store the predictions as facts')
    .action(async (opts: AnalyseOptions, cmd: Command) => {
      const ctx = commandContext(cmd, opts.at);
      if (opts.model !== undefined) return analyseModel(opts, ctx);
      let shares: [number, number, number];
      try {
        shares = parseShares(opts.shares ?? '0.3,0.6,0.9');
      } catch (e) {
        throw new CliError(`--shares: ${(e as Error).message}`);
      }
      const current = ctx.workspace.shop.lifecycle;
      let input: AnalysisInput;
      let after: OrdersAfter | null = null;
      if (opts.cdnow) {
        const at = opts.at ? parseShopInstant(opts.at, '--at', CDNOW_TIMEZONE) : CDNOW_NOW;
        const file = resolve(opts.cdnow);
        if (!existsSync(file)) throw new CliError(`--cdnow: ${file} does not exist`);
        try {
          input = cdnowAnalysisInput(parseCdnow(readFileSync(file, 'utf8')), at, current, shares);
        } catch (e) {
          if (e instanceof CdnowFormatError) throw new CliError(`${file}: ${e.message}`);
          throw e;
        }
      } else {
        input = await withDatabase(ctx, async (ds) => {
          const at = ctx.clock.now();
          after = await ordersAfter(ds, at);
          return loadAnalysisInput(ds, ctx.workspace.shop, at, shares);
        }, { existing: true });
      }
      const lifecycle = lifecycleReport(input);
      const rfm = rfmReport(input);

      let written: string | null = null;
      if (opts.writeThresholds) {
        if (!lifecycle.suggestion) throw new CliError('--write-thresholds: no customer bought on two different days, so there is no suggestion to write');
        if (lifecycle.thin && !opts.force) throw new CliError(`--write-thresholds: nothing written, ${thinSampleWords(lifecycle.thin)} (--force writes them all the same)`);
        written = join(ctx.workspace.rulesDir, 'shop.yaml');
        const before = existsSync(written) ? readFileSync(written, 'utf8') : '';
        writeFileSync(written, withLifecycleThresholds(before, lifecycle.suggestion.thresholds));
      }

      const tz = ctx.workspace.shop.timezone;
      // Assigned inside withDatabase's callback, which TypeScript's narrowing does not follow.
      const read = after as OrdersAfter | null;
      const readAs = read ? { readAs: opts.at === undefined ? 'now' : '--at', ordersAfterAt: read.count, newestOrderAt: read.newestAt === null ? null : shopIsoTime(read.newestAt, tz) } : {};
      output(ctx, { source: opts.cdnow ? { cdnow: resolve(opts.cdnow) } : { database: true }, ...readAs, lifecycle, rfm, written }, () =>
        [...(read ? [readAsLine(input.at, opts.at === undefined, read, tz), ''] : []), formatLifecycle(lifecycle), '', formatRfm(rfm), ...(written ? ['', `Wrote the suggested thresholds to ${written}`] : [])].join('\n'),
      );
    });
};

/** Which instant the shop was read as, and what that left out: a simulated database holds orders after today's clock. */
export function readAsLine(at: number, now: boolean, after: OrdersAfter, timezone: string): string {
  const when = `${now ? 'now, ' : '--at '}${shopIsoTime(at, timezone)}`;
  if (after.count === 0) return `read as of ${when}: every order in the shop${now ? ' (--at <instant> reads it as of another)' : ''}`;
  const left = `${after.count} order${after.count === 1 ? '' : 's'} after it left out`;
  if (!now || after.newestAt === null) return `read as of ${when}: ${left}`;
  return `read as of ${when}: ${left}; the shop's orders reach ${shopIsoTime(after.newestAt, timezone)} (a simulation's purchases, or data ahead of this machine's clock): give --at to read it as of a later instant`;
}

/**
 * `rekindle analyse --model bgnbd [--until <date>] [--horizon 90] [--json]`: fits BG/NBD on the
 * shop's orders (or a CDNOW file) and, on the shop, stores P(alive) and expected purchases as
 * facts rules can read.
 */
async function analyseModel(opts: AnalyseOptions, ctx: CommandContext): Promise<void> {
  if (opts.model !== 'bgnbd') throw new CliError(`--model: "${opts.model}" is not a model (models: bgnbd)`);
  const horizonDays = Number(opts.horizon);
  if (!Number.isInteger(horizonDays) || horizonDays <= 0) throw new CliError(`--horizon: "${opts.horizon}" is not a whole number of days`);
  const tz = opts.cdnow ? CDNOW_TIMEZONE : ctx.workspace.shop.timezone;
  // A date means "through the end of that day" in the shop's zone (CDNOW: UTC).
  const until = opts.until ? endOfDay(opts.until, tz) : opts.cdnow ? CDNOW_NOW - 1 : ctx.clock.now();
  let report: BgnbdReport;
  let stored: number | null = null;
  try {
    if (opts.cdnow) {
      const file = resolve(opts.cdnow);
      if (!existsSync(file)) throw new CliError(`--cdnow: ${file} does not exist`);
      let orders;
      try {
        orders = parseCdnow(readFileSync(file, 'utf8'));
      } catch (e) {
        if (e instanceof CdnowFormatError) throw new CliError(`${file}: ${e.message}`);
        throw e;
      }
      report = bgnbdReport(orders.map((o) => ({ customerId: o.customerId, at: o.at })), until, horizonDays, tz);
    } else {
      report = await withDatabase(ctx, async (ds) => {
        const r = bgnbdReport(await loadPurchases(ds, until), until, horizonDays, tz);
        if (opts.store) stored = await storePredictions(ds, r.fit, r.predictions.map((p) => ({ customerId: Number(p.customerId), pAlive: p.pAlive, expected: p.expectedPurchases })), { fittedAt: ctx.clock.now(), until, horizonDays });
        return r;
      }, { existing: true });
    }
  } catch (e) {
    if (e instanceof Error && e.message.startsWith('BG/NBD:')) throw new CliError(e.message);
    throw e;
  }
  const { predictions, ...summary } = report;
  output(ctx, { ...summary, until: shopIsoTime(until, tz), stored, sample: predictions.slice(0, 20) }, () => formatBgnbd(report, stored, tz));
}

function endOfDay(text: string, timezone: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return parseShopInstant(text, '--until', timezone);
  const [y, m, d] = text.split('-').map(Number);
  return zonedInstant(y, m, d + 1, 0, 0, timezone) - 1;
}
