import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import cliProgress from 'cli-progress';

/**
 * The progress bar of `rekindle import customers|orders|events`: percent, rows and ETA all in ONE
 * measure, the file's rows whose batch is committed, against the file's row count (counted before
 * the import: by the CSV syntax pass that runs anyway, or one pass over an NDJSON file's lines).
 *
 * Why not bytes: the parser (its own thread, usually) reads batches ahead of the writer, so a bar
 * by bytes read stood at 22% while "0 rows" were committed, and an ETA from bytes read jumped with
 * the reader's bursts. Rows committed only move when a batch commits, and every one of them is
 * kept, so what the bar says is what a Ctrl-C would leave in the database.
 *
 * The ETA is the rows left at the import's mean pace so far (rows committed / time since the
 * import began): one batch more or less only nudges it, unlike a rate over the last few updates.
 * Once every row is committed the import still builds its paused indexes and adds the orders'
 * facts (seconds at a million orders): the bar says so instead of an ETA of 0 that does not end.
 *
 * cli-progress draws only on a terminal; on a pipe (and with --json) nothing is drawn.
 */
export interface ImportProgress {
  /** After each committed batch: the rows read up to and including it (the report's `rows`). */
  rowsCommitted(rows: number): void;
  stop(): void;
}

export function importProgressBar(totalRows: number, stream: NodeJS.WriteStream = process.stderr, now: () => number = () => performance.now()): ImportProgress {
  const bar = new cliProgress.SingleBar(
    {
      stream,
      // `left`, not `eta`: cli-progress fills {eta} with its own guess from the last few updates.
      format: '{bar} {percentage}% | {rowsText}/{totalText} rows | {rate} rows/s | {left}',
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const total = Math.max(totalRows, 1);
  const started = now();
  bar.start(total, 0, { rowsText: '0', totalText: grouped(totalRows), rate: '0', left: 'eta --' });
  return {
    rowsCommitted(rows) {
      const seconds = Math.max((now() - started) / 1000, 0.001);
      const rate = rows / seconds;
      const left = Math.max(totalRows - rows, 0);
      const shown = left === 0 ? 'building indexes, adding facts' : rows === 0 ? 'eta --' : `eta ${clock(left / rate)}`;
      bar.update(Math.min(rows, total), { rowsText: grouped(rows), rate: grouped(Math.round(rate)), left: shown });
    },
    stop: () => bar.stop(),
  };
}

/** 1,234,567 */
function grouped(n: number): string {
  return n.toLocaleString('en-US');
}

/** 75 → "1m15s", 8 → "8s". */
export function clock(seconds: number): string {
  const s = Math.ceil(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** Rows of an NDJSON source as the importer counts them: its non-blank lines. */
export async function ndjsonRowCount(source: AsyncIterable<Buffer | string> | Iterable<Buffer | string>): Promise<number> {
  let rows = 0;
  let first = true;
  for await (const text of createInterface({ input: Readable.from(source), crlfDelay: Infinity })) {
    const line = first ? text.replace(/^\uFEFF/, '') : text;
    first = false;
    if (line.trim() !== '') rows++;
  }
  return rows;
}
