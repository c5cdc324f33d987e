import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { cdnowAnalysisInput } from '../../core/analysis/cdnow-input.js';
import { lifecycleReport, rfmReport, type AnalysisInput } from '../../core/analysis/report.js';
import { withLifecycleThresholds } from '../../core/analysis/shop-yaml.js';
import { formatLifecycle, formatRfm } from '../../core/analysis/text-report.js';
import { parseShares } from '../../core/analysis/thresholds.js';
import { parseInstant } from '../../core/clock.js';
import { CDNOW_NOW, CdnowFormatError, parseCdnow } from '../../core/data/cdnow.js';
import { loadAnalysisInput } from '../../persistence/analysis-source.js';
import type { RegisterCommand } from './index.js';
import { CliError, commandContext, output, withDatabase } from '../context.js';

interface AnalyseOptions {
  at?: string;
  cdnow?: string;
  shares?: string;
  writeThresholds?: boolean;
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
    .action(async (opts: AnalyseOptions, cmd: Command) => {
      const ctx = commandContext(cmd, opts.at);
      let shares: [number, number, number];
      try {
        shares = parseShares(opts.shares ?? '0.3,0.6,0.9');
      } catch (e) {
        throw new CliError(`--shares: ${(e as Error).message}`);
      }
      const current = ctx.workspace.shop.lifecycle;
      let input: AnalysisInput;
      if (opts.cdnow) {
        const at = opts.at ? parseInstant(opts.at, '--at') : CDNOW_NOW;
        const file = resolve(opts.cdnow);
        if (!existsSync(file)) throw new CliError(`--cdnow: ${file} does not exist`);
        try {
          input = cdnowAnalysisInput(parseCdnow(readFileSync(file, 'utf8')), at, current, shares);
        } catch (e) {
          if (e instanceof CdnowFormatError) throw new CliError(`${file}: ${e.message}`);
          throw e;
        }
      } else {
        input = await withDatabase(ctx, (ds) => loadAnalysisInput(ds, ctx.workspace.shop, ctx.clock.now(), shares));
      }
      const lifecycle = lifecycleReport(input);
      const rfm = rfmReport(input);

      let written: string | null = null;
      if (opts.writeThresholds) {
        if (!lifecycle.suggestion) throw new CliError('--write-thresholds: no customer bought on two different days, so there is no suggestion to write');
        written = join(ctx.workspace.rulesDir, 'shop.yaml');
        const before = existsSync(written) ? readFileSync(written, 'utf8') : '';
        writeFileSync(written, withLifecycleThresholds(before, lifecycle.suggestion.thresholds));
      }

      output(ctx, { source: opts.cdnow ? { cdnow: resolve(opts.cdnow) } : { database: true }, lifecycle, rfm, written }, () =>
        [formatLifecycle(lifecycle), '', formatRfm(rfm), ...(written ? ['', `Wrote the suggested thresholds to ${written}`] : [])].join('\n'),
      );
    });
};
