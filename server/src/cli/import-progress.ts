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
 * The ETA is the rows left at the pace of the last PACE_WINDOW_MS (rows committed then and now):
 * ~30 batches of a large import, so one slow batch only nudges it (cli-progress's own ETA used
 * the last 10 updates of the bytes read), yet it follows a pace that drifts as the tables grow,
 * where the mean since the start kept promising the same "3m07s" for minutes on a 1M-row file.
 * Once every row is committed the bar says so instead of an ETA of 0 that does not end, and then
 * each step the import still runs, as the importer announces it (ImportOptions.onStage): on SQLite
 * building the indexes it paused and adding the orders' facts (seconds at a million orders), on
 * PostgreSQL updating the planner statistics — never a step that does not run (PostgreSQL pauses
 * no index).
 *
 * cli-progress draws only on a terminal; on a pipe (and with --json) nothing is drawn.
 */
export interface ImportProgress {
  /** After each committed batch: the rows read up to and including it (the report's `rows`). */
  rowsCommitted(rows: number): void;
  /** A step after the last row has started (what the bar shows after the rows). */
  stage(what: string): void;
  stop(): void;
}

/** After the last row's batch committed (the importer's end steps follow it: ImportProgress.stage). */
export const ALL_WRITTEN = 'all rows written';

/** The span of recent commits the pace (and so the ETA) is taken from. */
export const PACE_WINDOW_MS = 15_000;

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
  const pace = recentPace(totalRows, now());
  bar.start(total, 0, { rowsText: '0', totalText: grouped(totalRows), rate: '0', left: 'eta --' });
  return {
    rowsCommitted(rows) {
      const { rate, left } = pace(now(), rows);
      bar.update(Math.min(rows, total), { rowsText: grouped(rows), rate: grouped(Math.round(rate)), left });
    },
    stage: (what) => bar.update({ left: `${ALL_WRITTEN}; ${what}` }),
    stop: () => bar.stop(),
  };
}

/**
 * The pace over the last PACE_WINDOW_MS of commits (from the start while the import is younger)
 * and the text after the bar: the ETA at that pace, or what the import does after its last row.
 */
export function recentPace(totalRows: number, startedAt: number): (t: number, rows: number) => { rate: number; left: string } {
  // (time, rows) of the commits in the window, and the one just before them.
  const commits: [number, number][] = [[startedAt, 0]];
  return (t, rows) => {
    commits.push([t, rows]);
    while (commits.length > 2 && t - commits[1][0] >= PACE_WINDOW_MS) commits.shift();
    const [t0, rows0] = commits[0];
    const rate = (rows - rows0) / Math.max((t - t0) / 1000, 0.001);
    const rowsLeft = Math.max(totalRows - rows, 0);
    return { rate, left: rowsLeft === 0 ? ALL_WRITTEN : rate <= 0 ? 'eta --' : `eta ${clock(rowsLeft / rate)}` };
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
