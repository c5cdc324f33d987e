import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { PRIVATE_FILE_MODE } from '../../persistence/private-files.js';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { SEND_LOG_FORMATS, SEND_STATUSES, sendLogStream, type SendLogFormat, type SendStatus } from '../../persistence/send-log.js';
import { CliError, cliAudit, commandContext, withDatabase } from '../context.js';
import { flowIdToRead } from '../../runtime/simulated-flow.js';
import { queryRows } from '../../persistence/sql-batch.js';
import type { DataSource } from 'typeorm';
import { shopDay } from '../../core/shop-day.js';
import { PolicyFile } from '../../persistence/policy-file.js';

interface ExportSendsOptions {
  format: string;
  out?: string;
  flow?: string;
  customer?: string;
  status?: string;
  excel?: boolean;
  day?: string;
}

/**
 * `rekindle export sends --format csv|ndjson [--out file] [--flow id] [--customer id] [--status s] [--excel]`:
 * the send log (CSV times in shop time with the offset, NDJSON in UTC ISO) (every queued, delivered, failed, blocked or skipped message), streamed. Added to
 * the existing `export` command by whoever builds it (see commands/export.ts).
 */
export function registerExportSends(exportCommand: Command): void {
  exportCommand
    .command('sends')
    .description('export the send log (what was sent, blocked or failed, to whom, when) as CSV or NDJSON')
    .option('--format <csv|ndjson>', 'output format', 'csv')
    .option('--out <file>', 'write to this file (default: stdout)')
    .option('--flow <id>', 'only sends of this flow')
    .option('--customer <externalId>', "only sends to this customer (the shop's customer id)")
    .option('--status <status>', `only sends in this status (${SEND_STATUSES.join(', ')})`)
    .option('--day <YYYY-MM-DD>', "only sends scheduled on this day of the shop's calendar (its time zone, rules/shop.yaml)")
    .option('--excel', 'CSV for Excel: byte order mark, Chinese headers, shop-time date-times, ids and coupon codes as text')
    .action(async (opts: ExportSendsOptions, cmd: Command) => {
      if (!(SEND_LOG_FORMATS as readonly string[]).includes(opts.format)) throw new CliError(`--format: expected ${SEND_LOG_FORMATS.join(' or ')}, got "${opts.format}"`);
      if (opts.status && !(SEND_STATUSES as readonly string[]).includes(opts.status)) throw new CliError(`--status: expected one of ${SEND_STATUSES.join(', ')}, got "${opts.status}"`);
      if (opts.excel && opts.format !== 'csv') throw new CliError('--excel: only with --format csv (a spreadsheet opens CSV)');
      const ctx = commandContext(cmd);
      const day = opts.day === undefined ? {} : dayOrCliError(opts.day, ctx.workspace.shop.timezone);
      await withDatabase(ctx, async (ds) => {
        await cliAudit(ds, 'exported', 'export:sends', { format: opts.format, flowId: opts.flow ?? null, customerId: opts.customer ?? null, status: opts.status ?? null, day: opts.day ?? null });
        // On a copy `rekindle simulate` ran the flow in, its name reads the simulation (as report and explain do).
        const flowId = opts.flow === undefined ? undefined : await flowIdToRead(ds, opts.flow);
        // A mistyped --flow gave a header alone and exit 0, read as "the flow sent nothing" (walkthrough).
        if (flowId !== undefined && !(await flowKnown(ds, flowId))) process.stderr.write(`warning: --flow ${opts.flow}: no flow of that id was ever published in this database (rekindle flows list shows them); the export has no rows\n`);
        // The same for --customer: c999999 gave a header alone and exit 0, read as "sent them nothing".
        if (opts.customer !== undefined) {
          const unknown = await unknownCustomerWarning(ds, opts.customer);
          if (unknown) process.stderr.write(unknown);
        }
        const stream = sendLogStream(ds, opts.format as SendLogFormat, { flowId, customerExternalId: opts.customer, status: opts.status as SendStatus | undefined, ...day }, { timezone: ctx.workspace.shop.timezone, excel: opts.excel, listTitles: opts.excel ? new PolicyFile(ctx.workspace.rulesDir).titledLists() : undefined });
        if (opts.out) {
          await pipeline(stream, createWriteStream(opts.out, { mode: PRIVATE_FILE_MODE }));
          process.stderr.write(`wrote the send log to ${opts.out}\n`);
          return;
        }
        for await (const chunk of stream) {
          if (!process.stdout.write(chunk)) await once(process.stdout, 'drain');
        }
      }, { existing: true });
    });
}

/** `--day` as a range of the shop's calendar (core/shop-day.ts); a bad one is a CLI error naming it. */
function dayOrCliError(text: string, timezone: string): { scheduledFrom: number; scheduledBefore: number } {
  try {
    return shopDay(text, '--day', timezone);
  } catch (e) {
    throw new CliError((e as Error).message);
  }
}

/**
 * The warning for a --customer no customer of this database has, or null when one has it. Ids are
 * compared exactly (as the export filters); one that matches only in another case is named, since
 * C-A and c-a are two customers to the shop.
 */
async function unknownCustomerWarning(ds: DataSource, externalId: string): Promise<string | null> {
  const [exact] = await queryRows(ds, 'SELECT 1 AS x FROM customers WHERE external_id = ? LIMIT 1', [externalId]);
  if (exact) return null;
  const [near] = await queryRows(ds, 'SELECT external_id FROM customers WHERE LOWER(external_id) = LOWER(?) ORDER BY external_id LIMIT 1', [externalId]);
  const hint = near ? `; customer ids are case-sensitive: did you mean --customer ${String(near.external_id)}?` : " (the shop's own customer id, as imported)";
  return `warning: --customer ${externalId}: no customer of that id in this database${hint}; the export has no rows\n`;
}

/** Whether the database has a published version of the flow, or any of its sends. */
async function flowKnown(ds: DataSource, flowId: string): Promise<boolean> {
  const [row] = await queryRows(ds, 'SELECT 1 AS x FROM flow_versions WHERE flow_id = ? UNION ALL SELECT 1 AS x FROM sends WHERE flow_id = ? LIMIT 1', [flowId, flowId]);
  return row !== undefined;
}
