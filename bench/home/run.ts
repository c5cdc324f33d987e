/**
 * The journeys home's numbers (GET /api/home: persistence/flow-stats.ts) at a long history.
 *
 *   node dist/bench/home/run.js --db /tmp/home.sqlite --fill [--finished 650000] [--active 3000] [--flows 5]
 *   node dist/bench/home/run.js --db /tmp/home.sqlite [--calls 3] [--read active-rows|all-minus-ended]
 *
 * `--fill` writes a new file (migrated by this tree) with `--finished` ended journeys (2/5 completed,
 * 3/5 exited, ended over the 60 days before NOW) and `--active` waiting ones, spread over `--flows`
 * flows, deterministically (no customers, orders or sends: the per-flow counts are what is read).
 * Without it, the file is opened (this tree's migrations run on it), flowStats is called once to
 * warm up, then `--calls` times; it prints each call's wall, the process's CPU and a hash of the
 * numbers (the same for two trees that count alike). `--read` forces how the active counts are read
 * (persistence/active-by-flow.ts; default: the cheaper, as the home does).
 */
import { createHash } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { flowStats } from '../../server/src/persistence/flow-stats.js';
import type { ActiveRead } from '../../server/src/persistence/active-by-flow.js';
import { openDatabase } from '../../server/src/persistence/data-source.js';
import { rawSqlite } from '../../server/src/persistence/write-transaction.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-11-30T04:00:00Z');
const arg = (name: string, dflt: string | null = null) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const db = arg('db');
if (!db) throw new Error('--db <file> is required');

type Raw = { prepare(sql: string): { run(...p: unknown[]): unknown }; transaction<T>(f: () => T): () => T };

async function fill(): Promise<void> {
  for (const suffix of ['', '-wal', '-shm']) if (existsSync(db + suffix)) rmSync(db + suffix);
  const finished = Number(arg('finished', '650000'));
  const active = Number(arg('active', '3000'));
  const flows = Number(arg('flows', '5'));
  const ds = await openDatabase({ url: db! });
  const raw = rawSqlite(ds) as unknown as Raw;
  const ins = raw.prepare(
    `INSERT INTO enrollments (flow_id, version_id, customer_id, journey_key, node_id, status, entered_at, node_entered_at, wake_at, step_count, entry_key, updated_at)
     VALUES (?, 1, ?, '', ?, ?, ?, ?, ?, 3, ?, ?)`,
  );
  // A fixed LCG: the same rows every time.
  let x = 42;
  const rnd = () => ((x = (x * 1103515245 + 12345) % 2147483648), x / 2147483648);
  raw.transaction(() => {
    for (let i = 0; i < finished + active; i++) {
      const flow = `flow-${i % flows}`;
      const ended = i < finished;
      const entered = NOW - Math.floor(rnd() * 60 * DAY);
      const updated = ended ? Math.min(NOW, entered + Math.floor(rnd() * 3 * DAY)) : entered;
      const status = ended ? (i % 5 < 2 ? 'completed' : 'exited') : 'active';
      ins.run(flow, 1 + (i % 100_000), ended ? 'done' : 'wait', status, entered, updated, ended ? null : NOW + Math.floor(rnd() * DAY), `e-${i}`, updated);
    }
  })();
  await ds.destroy();
  console.log(`filled ${db}: ${finished} finished, ${active} active, ${flows} flows`);
}

async function measure(): Promise<void> {
  const calls = Number(arg('calls', '3'));
  const read = (arg('read') ?? undefined) as ActiveRead | undefined;
  const ds = await openDatabase({ url: db! });
  const cpu0 = process.cpuUsage();
  await flowStats(ds, NOW, { activeRead: read });
  const walls: number[] = [];
  let stats = new Map();
  for (let i = 0; i < calls; i++) {
    const t = process.hrtime.bigint();
    stats = await flowStats(ds, NOW, { activeRead: read });
    walls.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const cpu = process.cpuUsage(cpu0);
  const json = JSON.stringify([...stats.values()].sort((a, b) => (a.flowId < b.flowId ? -1 : 1)));
  const active = [...stats.values()].reduce((n, s) => n + s.active, 0);
  console.log(
    `flowStats ms per call: ${walls.map((w) => w.toFixed(1)).join(', ')}; CPU (warm-up + ${calls} calls) ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s; ` +
      `active ${active} (${read ?? 'auto'}); hash ${createHash('sha256').update(json).digest('hex').slice(0, 12)}`,
  );
  await ds.destroy();
}

await (process.argv.includes('--fill') ? fill() : measure());
