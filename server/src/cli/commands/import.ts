import { csvSyntaxCheck } from '../../core/data/import/csv-syntax.js';
import { detectFileEncoding, EncodingError, readDecoded, type TextEncoding } from '../../core/data/import/text-encoding.js';
import { basename } from 'node:path';
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { ImportColumnError } from '../../core/data/import/column-check.js';
import { formatRowError, formatSummary } from '../../core/data/import/report.js';
import { IMPORT_KINDS, type ImportKind } from '../../core/data/import/row-mapper.js';
import { formatFromFileName, IMPORT_FORMATS, type ImportFormat } from '../../core/data/import/row-reader.js';
import { DEFAULT_BATCH_SIZE, importRows } from '../../persistence/importer.js';
import { startImportCheckpointer } from '../../runtime/import-checkpointer.js';
import { startImportSettleAhead } from '../../runtime/import-settle-ahead.js';
import { PARSER_THREAD_MIN_BYTES, threadRowParser } from '../../runtime/import-parser.js';
import { importCdnowFile, importTaobaoExport, ShopFileError, type ShopFileImport } from '../../persistence/shop-file-import.js';
import { CliError, cliAudit, commandContext, output, withDatabase } from '../context.js';
import type { RegisterCommand } from './index.js';
import { importProgressBar, ndjsonRowCount } from '../import-progress.js';

interface ImportOptions {
  format?: string;
  batchSize?: string;
}

/**
 * `rekindle import customers|orders|events <file>`: streamed, batched upsert by external id.
 * Progress (rows committed of the file's rows, cli/import-progress.ts) and row errors (in line
 * order, once the file is read; the report's first 1000) go to stderr; the summary, or with --json the full report, to stdout. Exit code 1
 * when any row failed.
 */
export const registerImport: RegisterCommand = (program) => {
  program
    .command('import')
    .description('import customers, orders or events from a CSV or NDJSON file (idempotent upsert by external id; see docs/data-import.md)')
    .argument('<kind>', `${IMPORT_KINDS.join(' | ')} | taobao (seller-center order export, GBK or UTF-8) | cdnow (CDNOW sample or master file)`)
    .argument('<file>', 'a .csv or .ndjson/.jsonl file (taobao: the exported .csv; cdnow: the .txt)')
    .option('--format <format>', 'csv | ndjson (default: from the file extension)')
    .option('--batch-size <n>', 'rows per transaction', String(DEFAULT_BATCH_SIZE))
    .action(async (kind: string, file: string, opts: ImportOptions, cmd: Command) => {
      if (kind === 'taobao' || kind === 'cdnow') return importShopFile(kind, file, cmd);
      if (!(IMPORT_KINDS as readonly string[]).includes(kind)) throw new CliError(`kind: expected one of ${[...IMPORT_KINDS, 'taobao', 'cdnow'].join(', ')}, got "${kind}"`);
      if (opts.format !== undefined && !(IMPORT_FORMATS as readonly string[]).includes(opts.format)) throw new CliError(`--format: expected csv or ndjson, got "${opts.format}"`);
      const format = (opts.format as ImportFormat | undefined) ?? formatFromFileName(file);
      if (!format) throw new CliError(`${file}: cannot tell the format from the extension; add --format csv or --format ndjson`);
      if (!existsSync(file) || !statSync(file).isFile()) throw new CliError(`${file}: no such file`);
      const batchSize = Number(opts.batchSize);
      if (!Number.isInteger(batchSize) || batchSize < 1) throw new CliError(`--batch-size: expected a positive whole number, got "${opts.batchSize}"`);
      const ctx = commandContext(cmd);
      // Encoding (UTF-8, else GBK/GB18030) and CSV syntax are checked over the whole file first:
      // a file that cannot be read correctly commits nothing.
      let encoding: TextEncoding;
      try {
        encoding = await detectFileEncoding(file);
      } catch (e) {
        if (e instanceof EncodingError) throw new CliError(`${file}: ${e.message.replace(/^body: /, '')}; nothing was imported`);
        throw e;
      }
      // The same pass counts the file's rows: the progress bar's one measure is rows committed.
      let totalRows: number;
      if (format === 'csv') {
        const check = await csvSyntaxCheck(readDecoded(file, encoding));
        if (check.error) throw new CliError(`${file}:${check.error.line}: ${check.error.message}; nothing was imported`);
        totalRows = check.rows;
      } else totalRows = ctx.json || !process.stderr.isTTY ? 0 : await ndjsonRowCount(readDecoded(file, encoding));

      // The bar only draws on a terminal (cli-progress stays silent otherwise) and never with --json.
      const progress = ctx.json ? null : importProgressBar(totalRows);

      let report;
      try {
        report = await withDatabase(ctx, async (ds) => {
          const r = await importRows(ds, {
            kind: kind as ImportKind,
            format,
            source: readDecoded(file, encoding),
            file,
            timezone: ctx.workspace.shop.timezone,
            clock: ctx.clock,
            batchSize,
            onRows: (n) => progress?.rowsCommitted(n),
            onStage: (what) => progress?.stage(what),
            parser: statSync(file).size >= PARSER_THREAD_MIN_BYTES ? (threadRowParser(batchSize) ?? undefined) : undefined,
            // Its WAL copied back by a thread of its own, off the importing thread (runtime/import-checkpointer.ts).
            offThreadCheckpoints: startImportCheckpointer,
            // A large import's settle worked out on a thread of its own while the indexes are built (runtime/import-settle-ahead.ts).
            settleAhead: startImportSettleAhead,
            fileBytes: statSync(file).size,
          });
          await cliAudit(ds, 'imported', `import:${kind}`, { file: basename(file), format, rows: r.rows, failed: r.failed });
          return r;
        });
      } catch (e) {
        if (e instanceof ImportColumnError) throw new CliError(e.message);
        throw e;
      } finally {
        progress?.stop();
      }
      if (!ctx.json) {
        // After the import, in line order: rows refused by the database (unknown customer) are only
        // found when their batch is written, after later lines' parse errors.
        for (const e of report.errors) process.stderr.write(formatRowError(file, e) + '\n');
        for (const w of report.warnings) process.stderr.write(`warning: ${w}\n`);
      }
      output(ctx, report, () => formatSummary(report) + (report.errorsOmitted ? `\n(${report.errorsOmitted} further errors left out of the report)` : ''));
      if (report.failed > 0) throw new CliError(`${report.failed} of ${report.rows} rows failed${ctx.json ? ' (see errors in the report)' : ' (listed above)'}; ${report.failed === report.rows ? 'nothing was imported' : 'the other rows were imported'}`);
    });
};

/**
 * `rekindle import taobao <export.csv>` / `rekindle import cdnow <file>`: a whole file in a known
 * third-party layout, mapped to customers and orders (docs/data-import.md) and run through the
 * same importer. Row errors name the line of the original file.
 */
async function importShopFile(kind: 'taobao' | 'cdnow', file: string, cmd: Command): Promise<void> {
  if (!existsSync(file) || !statSync(file).isFile()) throw new CliError(`${file}: no such file`);
  const ctx = commandContext(cmd);
  const o = { file, timezone: ctx.workspace.shop.timezone, clock: ctx.clock };
  let r: ShopFileImport;
  try {
    r = await withDatabase(ctx, async (ds) => {
      const res = kind === 'taobao' ? await importTaobaoExport(ds, readFileSync(file), o) : await importCdnowFile(ds, readFileSync(file, 'utf8'), o);
      await cliAudit(ds, 'imported', `import:${kind}`, { file: basename(file), customers: res.customers.rows, orders: res.orders.rows, failed: res.refused });
      return res;
    });
  } catch (e) {
    if (e instanceof ShopFileError) throw new CliError(e.message);
    throw e;
  }
  const errors = [...r.errors, ...r.customers.errors, ...r.orders.errors].sort((a, b) => a.line - b.line);
  // Rows refused, each once (r.refused); every error is listed, and a row may have several.
  output(ctx, { kind, file, encoding: r.encoding ?? null, customers: r.customers, orders: r.orders, refused: r.refused, errors }, () =>
    [
      ...errors.map((e) => formatRowError(file, e)),
      `${kind} ${file}${r.encoding ? ` (${r.encoding})` : ''}: customers ${r.customers.created} created, ${r.customers.updated} updated, ${r.customers.unchanged} unchanged; orders ${r.orders.created} created, ${r.orders.updated} updated, ${r.orders.unchanged} unchanged; ${r.refused} row(s) refused`,
    ].join('\n'),
  );
  if (r.refused) throw new CliError(`${r.refused} row(s) of ${file} were not imported`);
}
