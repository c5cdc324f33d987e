import { basename } from 'node:path';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { PRIVATE_FILE_MODE } from '../../persistence/private-files.js';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { customerExportCsv } from '../../persistence/customer-export.js';
import { cliAudit, commandContext, withDatabase } from '../context.js';
import { registerExportSends } from './export-sends.js';
import type { RegisterCommand } from './index.js';

interface ExportOptions {
  out?: string;
  at?: string;
  excel?: boolean;
}

/**
 * `rekindle export customers [--out file] [--at ISO] [--excel]`: live customers with their facts, as
 * CSV (times in shop time with the offset; --excel the Excel variant, core/text/excel-sheet.ts);
 * `rekindle export sends …`: the send log (export-sends.ts).
 */
export const registerExport: RegisterCommand = (program) => {
  const exportCommand = program.command('export').description('export customers with their facts, or the send log');
  exportCommand
    .command('customers')
    .description('live customers with their facts (as of now or --at) as CSV')
    .option('--out <file>', 'write to this file (default: stdout)')
    .option('--at <iso>', 'derive time-relative facts (recencyDays, lifecycleStage, ...) at this instant')
    .option('--excel', 'CSV for Excel: byte order mark, Chinese headers, shop-time date-times, phone numbers and ids as text')
    .action(async (opts: ExportOptions, cmd: Command) => {
      const ctx = commandContext(cmd, opts.at);
      const derive = { at: ctx.clock.now(), timezone: ctx.workspace.shop.timezone, lifecycle: ctx.workspace.shop.lifecycle };
      await withDatabase(ctx, async (ds) => {
        await cliAudit(ds, 'exported', 'export:customers', { out: opts.out ? basename(opts.out) : 'stdout', at: new Date(derive.at).toISOString() });
        const csv = customerExportCsv(ds, derive, { excel: opts.excel });
        if (opts.out) {
          await pipeline(csv, createWriteStream(opts.out, { mode: PRIVATE_FILE_MODE }));
          // csv-stringify counts data records only (the header line is not one).
          const records = (csv as unknown as { info: { records: number } }).info.records;
          process.stderr.write(`wrote ${records} customers to ${opts.out}\n`);
          return;
        }
        for await (const chunk of csv) {
          if (!process.stdout.write(chunk)) await once(process.stdout, 'drain');
        }
      }, { existing: true });
    });
  registerExportSends(exportCommand);
};
