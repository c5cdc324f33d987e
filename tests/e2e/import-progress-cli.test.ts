import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { clock, PACE_WINDOW_MS, recentPace } from '../../server/src/cli/import-progress.js';
import { tempDir } from '../support/temp-dirs.js';
import { rekindleIn } from '../support/cli-process.js';
import { freshTarget } from '../support/databases.js';

const run = promisify(execFile);
const RULES = join(process.cwd(), 'rules');
const DIR = tempDir('rekindle-import-progress-');

/** What a terminal showed, frame by frame: the bar's lines without colours and cursor moves. */
function frames(terminal: string): { percent: number; rows: number; tail: string }[] {
  // cli-progress redraws in place (cursor to column 1, erase to the end): each escape ends a frame.
  const plain = terminal.replace(/\x1b\[[0-9;?]*[A-Za-z]|\x1b[78]/g, '\n');
  const out: { percent: number; rows: number; tail: string }[] = [];
  for (const piece of plain.split(/[\r\n]+/)) {
    // The old bar printed "{percentage}% | {rows} rows", this one "{percentage}% | {rows}/{total} rows".
    const m = /(\d+)% \| ([\d,]+)(?:\/[\d,]+)? rows \|(.*)$/.exec(piece);
    if (m) out.push({ percent: Number(m[1]), rows: Number(m[2].replace(/,/g, '')), tail: m[3] });
  }
  return out;
}

/**
 * `rekindle import orders` on a terminal (a pseudo-terminal from util-linux `script`, so that
 * cli-progress draws): percent and rows are one measure, the file's rows whose batch is committed.
 * The old bar showed the bytes the parser had read ahead as its percent beside the committed rows
 * (22% at "0 rows" on a 1M-row file), so its percent ran a batch or more ahead of its rows.
 */
const N = 60_000;

/** 500 customers and N orders of theirs, as CSV files; the customers imported into `db`. */
async function shopFiles(db: string): Promise<{ orders: string }> {
  const customers = join(DIR, 'customers.csv');
  const orders = join(DIR, 'orders.csv');
  writeFileSync(customers, ['externalId,name', ...Array.from({ length: 500 }, (_, i) => `c${i},客户${i}`)].join('\n') + '\n');
  const T = Date.parse('2025-01-01T00:00:00Z');
  const lines = ['externalId,customerExternalId,status,amount,createdAt,paidAt,promotion,items'];
  for (let i = 0; i < N; i++) lines.push(`order-${i},c${(i * 7919) % 500},paid,${(i % 300) + 10}.90,${T + i * 1000},${T + i * 1000 + 60_000},,sku-${i % 97}:dress:summer:1:${(i % 300) + 10}.90`);
  writeFileSync(orders, lines.join('\n') + '\n');
  expect((await rekindleIn('UTC', ['--db', db, '--rules', RULES, 'import', 'customers', customers])).code).toBe(0);
  return { orders };
}

/** `rekindle import orders` under a pseudo-terminal: what it printed. */
async function importOnTerminal(db: string, orders: string, extra: string[] = []): Promise<string> {
  const command = [process.execPath, 'bin/rekindle.js', '--db', db, '--rules', RULES, 'import', 'orders', orders, ...extra].map((a) => `'${a}'`).join(' ');
  const { stdout } = await run('script', ['-qfec', command, '/dev/null'], { env: { ...process.env, TZ: 'UTC', TERM: 'xterm', COLUMNS: '160' }, maxBuffer: 64 << 20 });
  expect(stdout).toContain(`rows: ${N} created`);
  return stdout;
}

describe('rekindle import: the progress bar', () => {
  it('shows percent, rows and ETA of the rows committed, and what it does after the last row', async () => {
    const db = join(DIR, 'shop.sqlite');
    const { orders } = await shopFiles(db);
    const stdout = await importOnTerminal(db, orders, ['--batch-size', '4000']);

    const shown = frames(stdout);
    // One measure: the percent is the rows shown over the file's rows, in every frame.
    for (const f of shown) expect({ ...f, percent: f.percent }).toEqual({ ...f, percent: Math.floor((f.rows * 100) / N) });
    // (The old bar, by bytes read: "29% | 0 rows", "85% | 0 rows", "100% | 0 rows" on this file.)
    const between = shown.filter((f) => f.rows > 0 && f.rows < N);
    expect(between.length).toBeGreaterThan(0);
    // Rows only ever move forward, a committed batch at a time.
    for (let i = 1; i < shown.length; i++) expect(shown[i].rows).toBeGreaterThanOrEqual(shown[i - 1].rows);
    for (const f of shown) expect(f.rows % 4000 === 0 || f.rows === N).toBe(true);
    // An ETA once rows are committed; after the last one, what is still being done.
    for (const f of between) expect(f.tail).toMatch(/\| eta \d+(m\d\ds)?s?\s*$/);
    expect(shown[shown.length - 1]).toMatchObject({ rows: N, percent: 100 });
    // After the last row, only the steps that run: SQLite adds the orders' owed facts; a file this
    // small against the shop pauses no index, so no index is built (the old bar said "building
    // indexes, adding facts" after every import).
    const after = shown.filter((f) => f.rows === N).map((f) => f.tail.trim());
    expect(after[after.length - 1]).toMatch(/rows\/s \| all rows written; adding facts$/);
    expect(after.join(' ')).not.toMatch(/index/);
  }, 60_000);

  it('on PostgreSQL says it updates the planner statistics after the last row, and nothing of indexes (it pauses none)', async () => {
    const { target, drop } = await freshTarget('postgres', { migrated: true });
    try {
      const { orders } = await shopFiles(target.url);
      const shown = frames(await importOnTerminal(target.url, orders));
      const after = shown.filter((f) => f.rows === N).map((f) => f.tail.trim());
      expect(after[after.length - 1]).toMatch(/rows\/s \| all rows written; updating planner statistics$/);
      expect(shown.map((f) => f.tail).join(' ')).not.toMatch(/index|adding facts/);
    } finally {
      await drop();
    }
  }, 120_000);

  it('takes the ETA from the recent pace: steady batch to batch, following a pace that drifts', () => {
    const pace = recentPace(1_000_000, 0);
    // 25,000-row batches every 0.5 s (50,000 rows/s) for 10 s: every ETA is the rows left at that
    // pace, so the end it promises stays where it was.
    let t = 0;
    let rows = 0;
    while (rows < 500_000) {
      rows += 25_000;
      expect(pace((t += 500), rows).left).toBe(`eta ${Math.ceil((1_000_000 - rows) / 50_000)}s`);
    }
    // Then every 1 s (25,000 rows/s): after one window the ETA is the slower pace's.
    const etas: string[] = [];
    while (rows < 900_000) etas.push(pace((t += 1000), (rows += 25_000)).left);
    expect(t - 10_000).toBeGreaterThanOrEqual(PACE_WINDOW_MS);
    expect(etas.slice(-3)).toEqual(['eta 6s', 'eta 5s', 'eta 4s']);
    expect(pace((t += 1000), 1_000_000)).toEqual({ rate: expect.any(Number), left: 'all rows written' });
  });

  it('writes the ETA as a clock', () => {
    expect([clock(0.2), clock(8), clock(59.5), clock(75), clock(3600 + 61)]).toEqual(['1s', '8s', '1m00s', '1m15s', '1h01m']);
  });
});
