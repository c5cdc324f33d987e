import { mapRow, WHOLE_ROW, type ImportKind, type InputOf, type RowIssue } from './row-mapper.js';
import { customerColumnOfHeader } from './excel-view.js';
import { countingBytes, fieldCountError, readRowBlocks, type ByteSource, type ImportFormat } from './row-reader.js';
import { csvRecordBlocks } from './csv-records.js';
import { fastCsvOrder, orderColumns } from './csv-order-fast.js';
import type { EventInput, OrderInput } from '../model.js';
import { stageOrder, type StagedOrder } from './staged-order.js';
import type { StageFiles } from './stage-file.js';
import { futureEventTimeIssues, futureOrderTimeIssues } from './future-row-times.js';

/**
 * The parse half of an import: bytes → rows → validated inputs (or the row's issues), handed
 * over in blocks. Nothing here touches the database, so it can run in a thread of its own while
 * the importer writes the previous batch (runtime/import-parse-thread.ts); run in-process it is
 * the same code, so both give the same rows, lines and messages.
 */
export type ParsedRow<K extends ImportKind = ImportKind> =
  | {
      line: number;
      input: InputOf<K>;
      issues?: undefined;
      /**
       * Orders, when asked for (ParseOptions.stageOrders). A row handed over by the parser thread
       * with these carries its items only as their text, `staged[0]` (`input.items` undefined):
       * cloning them twice was most of what the hand-over added; the importer parses them back for
       * the rows that go the row-by-row way (persistence/shop-repository.ts, upsertOrders).
       */
      staged?: StagedOrder;
      /**
       * Orders staged into a file by the parser thread (ParseOptions.stageFiles): the number of the
       * file, = the importer's batch, that holds this row's staged values; `staged` and the items
       * then stay in that file and do not cross at all.
       */
      stagedIn?: number;
    }
  | { line: number; input?: undefined; issues: RowIssue[]; staged?: undefined; stagedIn?: undefined }
  /**
   * A valid order as the parser thread hands it over once staged into a file: its line and file
   * only; its input is read back from the file by the importer when needed (the row-by-row path).
   */
  | { line: number; input?: undefined; issues?: undefined; staged?: undefined; stagedIn: number };

export interface ParseOptions {
  /** The shop's time zone: times without an offset are its wall clock. */
  timezone: string;
  /**
   * The import's clock (ms) when it began: an order row whose createdAt or paidAt, or an event row
   * whose occurredAt, is more than 1 day after it is refused, naming the field (future-row-times.ts,
   * the rule of POST /api/orders and POST /api/events). The importer always gives it; a
   * parse without it (a bench measuring the parse) refuses no time as ahead.
   */
  now?: number;
  /** Called with the running count of bytes pulled from the source (progress by bytes read). */
  onBytes?: (bytesRead: number) => void;
  /** CSV only: receives the header once it is read. */
  onHeader?: (columns: string[]) => void;
  /**
   * Orders: also compute each valid row's staged values (staged-order.ts) here, so that the
   * writing thread only binds them. Asked for by the importer where its bulk path uses them (SQLite).
   */
  stageOrders?: boolean;
  /**
   * With stageOrders: a parser thread writes the staged values into one SQLite file per importer
   * batch instead of handing them over (core/data/import/stage-file.ts; rows get `stagedIn`). The
   * in-process parser ignores it (it would only move the same work onto the same thread).
   */
  stageFiles?: StageFiles;
}

/** Parses a whole import source, in file order, in blocks of rows. */
export type RowParser = (kind: ImportKind, format: ImportFormat, source: ByteSource, opts: ParseOptions) => AsyncIterable<ParsedRow[]>;

/** Rows per block: large enough that handing a block over costs little per row. */
export const PARSE_BLOCK = 1000;

/** One raw row read from the file, mapped and fully validated. */
function parseRow(kind: ImportKind, format: ImportFormat, row: { line: number; record?: Record<string, unknown>; error?: string }, timezone: string, stage: boolean, now: number | undefined): ParsedRow {
  if (row.error !== undefined) return { line: row.line, issues: [{ field: WHOLE_ROW, message: row.error }] };
  const mapped = mapRow(kind, format, row.record!, timezone);
  if (!mapped.ok) return { line: row.line, issues: mapped.issues };
  const ahead =
    now === undefined ? null
    : kind === 'orders' ? futureOrderTimeIssues(mapped.value as OrderInput, now)
    : kind === 'events' ? futureEventTimeIssues(mapped.value as EventInput, now)
    : null;
  if (ahead) return { line: row.line, issues: ahead };
  return stage ? { line: row.line, input: mapped.value, staged: stageOrder(mapped.value as OrderInput, timezone) } : { line: row.line, input: mapped.value };
}

/** The parser that runs in the calling thread. */
export async function* parseRows(kind: ImportKind, format: ImportFormat, source: ByteSource, opts: ParseOptions): AsyncGenerator<ParsedRow[]> {
  const stage = kind === 'orders' && opts.stageOrders === true;
  if (kind === 'orders' && format === 'csv') {
    yield* parseCsvOrders(source, opts, stage);
    return;
  }
  let block: ParsedRow[] = [];
  // A customers file the Excel variant of the export wrote is read by the plain export's column names (excel-view.ts).
  const read = kind === 'customers' ? { ...opts, renameHeader: customerColumnOfHeader } : opts;
  for await (const rows of readRowBlocks(source, format, read)) {
    for (const row of rows) {
      block.push(parseRow(kind, format, row, opts.timezone, stage, opts.now));
      if (block.length >= PARSE_BLOCK) {
        yield block;
        block = [];
      }
    }
  }
  if (block.length) yield block;
}

/**
 * Orders from CSV: each record's fields are mapped by column position (csv-order-fast.ts) when the
 * row is plainly valid; any other row is made the record object of readCsvRowBlocks and goes the
 * general way (mapRow), so its issues and messages are the ones it always had.
 */
async function* parseCsvOrders(source: ByteSource, opts: ParseOptions, stage: boolean): AsyncGenerator<ParsedRow[]> {
  let header: string[] | undefined;
  let columns: ReturnType<typeof orderColumns> | undefined;
  let block: ParsedRow[] = [];
  const { timezone, now } = opts;
  for await (const records of csvRecordBlocks(countingBytes(source, opts.onBytes))) {
    for (const { line, fields } of records) {
      if (!header) {
        header = fields.map((h) => h.trim());
        columns = orderColumns(header);
        opts.onHeader?.(header);
        continue;
      }
      let row: ParsedRow;
      if (fields.length !== header.length) row = { line, issues: [{ field: WHOLE_ROW, message: fieldCountError(header, fields.length) }] };
      else {
        const order = fastCsvOrder(fields, columns!, timezone);
        const ahead = order !== null && now !== undefined ? futureOrderTimeIssues(order, now) : null;
        if (ahead) row = { line, issues: ahead };
        else if (order !== null) row = stage ? { line, input: order, staged: stageOrder(order, timezone) } : { line, input: order };
        else {
          const record: Record<string, unknown> = {};
          for (let i = 0; i < header.length; i++) record[header[i]] = fields[i];
          row = parseRow('orders', 'csv', { line, record }, timezone, stage, now);
        }
      }
      block.push(row);
      if (block.length >= PARSE_BLOCK) {
        yield block;
        block = [];
      }
    }
  }
  if (block.length) yield block;
}
