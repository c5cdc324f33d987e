/**
 * bench/workers: stepping on worker processes. PostgreSQL is the shared store; BullMQ carries the
 * batches on Redis (or BullMQ's experimental PostgreSQL backend with --backend postgres). For 1, 2 and 4
 * `rekindle worker` processes, N enrollments (default 500,000) are planned in batches by this
 * process (the planner) and stepped by the workers: steps/s, the ratio to one worker, and CPU per
 * step of the workers, the planner and the rest of the machine (PostgreSQL, Redis — and anyone
 * else on a shared machine: read it with the load average printed).
 *
 *   npm run build && npm run bench:workers -- [--enrollments 500000] [--batch 1000] [--workers 1,2,4] [--backend redis|postgres] [--concurrency 1,2]
 *
 * --concurrency: each worker count is run once per value, in the order given (REKINDLE_WORKER_CONCURRENCY of
 * its workers; a value may repeat), on the same shop a minute apart: pairs that the machine's load moves less
 * than runs minutes apart. Without it, the workers' own default (or the environment's value).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { VirtualClock } from '../../server/src/core/clock.js';
import { FlowSchema } from '../../server/src/core/flow/schema.js';
import { generateDemoShop } from '../../server/src/core/seed/generate-shop.js';
import { openWorkspace } from '../../server/src/config/workspace.js';
import { bulkWriteShop } from '../../server/src/persistence/bulk-writer.js';
import { openDatabase } from '../../server/src/persistence/data-source.js';
import { createEngineRuntime } from '../../server/src/runtime/engine-runtime.js';
import { STEPPING_NODE_FLAG } from '../../server/src/runtime/young-generation.js';
import { BullMqStepQueue } from '../../server/src/workers/bullmq-step-queue.js';
import { makeQueue, makeQueueEvents } from '../../server/src/workers/queue-backend.js';
import { queueSettings } from '../../server/src/workers/queue-settings.js';
import type { StepJobData } from '../../server/src/workers/step-job.js';
import type { StepJobResult } from '../../server/src/core/engine/step-queue.js';
import { machineShare, machineSnapshot } from './machine-share.js';

const argv = process.argv;
const opt = (name: string, fallback: string) => (argv.indexOf(`--${name}`) > 0 ? argv[argv.indexOf(`--${name}`) + 1] : fallback);
const ENROLLMENTS = Number(opt('enrollments', '500000'));
const BATCH = Number(opt('batch', '1000'));
const WORKERS = opt('workers', '1,2,4').split(',').map(Number);
const BACKEND = opt('backend', 'redis');
const CONCURRENCY: (number | null)[] = opt('concurrency', '') ? opt('concurrency', '').split(',').map(Number) : [null];
const PG_ADMIN = process.env.REKINDLE_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const NOW = Date.parse('2026-11-03T02:00:00Z'); // 10:00 in Shanghai
const TICK = 100; // USER_HZ on Linux
// Extra node flags for the worker processes, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` (NODE_OPTIONS refuses --cpu-prof).
const WORKER_NODE_FLAGS = (process.env.REKINDLE_BENCH_WORKER_NODE_FLAGS ?? '').split(' ').filter(Boolean);

/** user+system CPU seconds of a process, from /proc (workers are separate processes). */
function cpuOf(pid: number): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / TICK;
  } catch {
    return 0;
  }
}
/** Busy CPU seconds of the whole machine. */
function machineCpu(): number {
  const [, ...v] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  return (v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) / TICK;
}

const flowFor = (id: string) =>
  FlowSchema.parse({
    id,
    name: id,
    nodes: [
      { id: 'start', type: 'entry', trigger: { type: 'event', event: `enter-${id}` }, next: 'ab' },
      { id: 'ab', type: 'split', arms: [{ id: 'a', weight: 50, next: 'note' }, { id: 'b', weight: 50, next: 'note' }] },
      { id: 'note', type: 'send', channel: 'email', category: 'marketing', template: '{{customer.name}}，双十一老顾客专享', next: 'done' },
      { id: 'done', type: 'exit' },
    ],
  });

async function main() {
  const name = `rekindle_bench_workers_${process.pid}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  // REKINDLE_BENCH_LOG_STATEMENTS=1: PostgreSQL logs every statement of THIS database with its
  // duration (a setting of the database, gone with it: the server's settings stay as they are).
  if (process.env.REKINDLE_BENCH_LOG_STATEMENTS === '1') await admin.query(`ALTER DATABASE ${name} SET log_min_duration_statement = 0`);
  const url = PG_ADMIN.replace(/\/[^/]*$/, `/${name}`);
  const rules = mkdtempSync(join(tmpdir(), 'rekindle-bench-workers-'));
  mkdirSync(join(rules, 'segments'));
  cpSync('rules/shop.yaml', join(rules, 'shop.yaml'));
  writeFileSync(join(rules, 'policy.yaml'), 'caps:\n  - id: marketing-per-day\n    max: 1\n    window: 24h\n');
  const ds = await openDatabase({ url });
  const children: ChildProcess[] = [];
  try {
    const ws = openWorkspace(rules);
    let t = performance.now();
    await bulkWriteShop(ds, generateDemoShop({ customers: ENROLLMENTS, seed: 9, now: NOW, timezone: ws.shop.timezone }), { timezone: ws.shop.timezone, now: NOW });
    await ds.query(`UPDATE customers SET email = COALESCE(email, 'x@example.com')`);
    console.log(`shop: ${ENROLLMENTS.toLocaleString('en-US')} customers on PostgreSQL in ${((performance.now() - t) / 1000).toFixed(1)} s; queue backend: ${BACKEND}${BACKEND === 'postgres' ? ' (experimental)' : ''}; load average ${loadavg()[0].toFixed(1)}`);

    const results: { workers: number; concurrency: number | null; steps: number; seconds: number; stepsPerSec: number; workerCpuUsPerStep: number; plannerCpuUsPerStep: number; postgresCpuUsPerStep: number; otherCpuUsPerStep: number }[] = [];
    const runs = WORKERS.flatMap((w) => CONCURRENCY.map((c) => [w, c] as const));
    for (let ri = 0; ri < runs.length; ri++) {
      const [n, conc] = runs[ri];
      const at = conc === null ? '' : ` at concurrency ${conc}`;
      const tag = runs.length === WORKERS.length ? `${n}` : `${n}-${ri}`; // one flow and queue per run
      const prefix = `bench-${process.pid}-${tag}`;
      const s = queueSettings({ REKINDLE_QUEUE_BACKEND: BACKEND, REKINDLE_QUEUE_PREFIX: prefix, REKINDLE_QUEUE_PG_URL: url, REDIS_URL: process.env.REDIS_URL });
      const queue = makeQueue<StepJobData, StepJobResult>(s);
      const events = makeQueueEvents(s);
      const clock = new VirtualClock(NOW);
      const rt = createEngineRuntime(ds, ws, clock, { batchSize: BATCH, queue: () => new BullMqStepQueue(queue, events, { attempts: 5 }) });
      const flow = flowFor(`bench-${tag}-workers`);
      await rt.flows.publish(flow, 'bench', NOW - 1);
      const [published] = (await rt.flows.published()).filter((f) => f.flowId === flow.id);
      const ids = (await ds.query('SELECT id FROM customers ORDER BY id')).map((r: { id: number }) => Number(r.id));
      for (let i = 0; i < ids.length; i += 5000) await rt.engine.enrollCustomers(published.version, ids.slice(i, i + 5000).map((customerId: number) => ({ customerId, journeyKey: '', entryKey: `bench:${customerId}` })), NOW, 'bench');

      const workers: ChildProcess[] = [];
      for (let i = 0; i < n; i++) {
        const child = spawn(process.execPath, [STEPPING_NODE_FLAG, ...WORKER_NODE_FLAGS, 'bin/rekindle.js', '--db', url, '--rules', rules, 'worker', '--queue-prefix', prefix], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, REKINDLE_QUEUE_BACKEND: BACKEND, REKINDLE_QUEUE_PG_URL: url, ...(conc === null ? {} : { REKINDLE_WORKER_CONCURRENCY: String(conc) }) } });
        workers.push(child);
        children.push(child);
        await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve())); // "worker …: queue …" = ready
      }
      const cpu0 = workers.map((w) => cpuOf(w.pid!));
      // PostgreSQL's own share, apart from everyone else on a shared machine: the CPU of this
      // database's backends (one process per connection; those that connect during the tick start from 0).
      const backends = async () => (await admin.query('SELECT pid FROM pg_stat_activity WHERE datname = $1', [name])).rows.map((r: { pid: number }) => Number(r.pid));
      const pg0 = new Map((await backends()).map((pid) => [pid, cpuOf(pid)]));
      // What else "rest of the machine" holds: PostgreSQL's own background processes (WAL writer,
      // checkpointer, background writer…) and the Redis server, each read from /proc like the rest.
      const aux = [...(await admin.query(`SELECT pid FROM pg_stat_activity WHERE backend_type <> 'client backend'`)).rows.map((r: { pid: number }) => Number(r.pid))];
      const redisPids = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number).filter((pid) => {
        try {
          return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'redis-server';
        } catch {
          return false;
        }
      });
      const aux0 = aux.map(cpuOf);
      const redis0 = redisPids.map(cpuOf);
      const snap0 = machineSnapshot();
      const planner0 = process.cpuUsage();
      const machine0 = machineCpu();
      t = performance.now();
      const report = await rt.engine.stepper.tick();
      const seconds = (performance.now() - t) / 1000;
      const workerCpu = workers.reduce((sum, w, i) => sum + cpuOf(w.pid!) - cpu0[i], 0);
      const p = process.cpuUsage(planner0);
      const plannerCpu = (p.user + p.system) / 1e6;
      const otherCpu = machineCpu() - machine0 - workerCpu - plannerCpu;
      const snap1 = machineSnapshot(); // after the planner's own CPU was read: reading /proc is not the planner's work
      const pgCpu = (await backends()).reduce((sum, pid) => sum + cpuOf(pid) - (pg0.get(pid) ?? 0), 0);
      const auxCpu = aux.reduce((sum, pid, i) => sum + cpuOf(pid) - aux0[i], 0);
      const redisCpu = redisPids.reduce((sum, pid, i) => sum + cpuOf(pid) - redis0[i], 0);
      const us = (cpu: number) => Math.round((cpu / Math.max(1, report.steps)) * 1e6);
      results.push({ workers: n, concurrency: conc, steps: report.steps, seconds, stepsPerSec: Math.round(report.steps / seconds), workerCpuUsPerStep: us(workerCpu), plannerCpuUsPerStep: us(plannerCpu), postgresCpuUsPerStep: us(pgCpu), otherCpuUsPerStep: us(otherCpu) });
      const r = results[results.length - 1];
      console.log(`${n} worker(s)${at}: ${r.steps.toLocaleString('en-US')} steps in ${seconds.toFixed(1)} s = ${r.stepsPerSec.toLocaleString('en-US')} steps/s (${(r.stepsPerSec / results[0].stepsPerSec).toFixed(2)}x one worker); CPU per step: workers ${r.workerCpuUsPerStep} µs, planner ${r.plannerCpuUsPerStep} µs, PostgreSQL backends of this database ${r.postgresCpuUsPerStep} µs, rest of the machine (PostgreSQL, queue, others) ${r.otherCpuUsPerStep} µs, of which PostgreSQL's background processes ${us(auxCpu)} µs and Redis ${us(redisCpu)} µs; load average ${loadavg()[0].toFixed(1)}`);
      // "Rest of the machine" process by process (machine-share.ts), in µs a step.
      const share = machineShare(snap0, snap1, { workers: workers.map((w) => w.pid!), planner: process.pid, database: name });
      const tenths = (cpu: number) => ((cpu / Math.max(1, report.steps)) * 1e6).toFixed(1);
      console.log(`  by process, µs a step: ${[...share.parts].map(([k, v]) => `${k} ${tenths(v)}`).join(', ')}${share.top.length ? `; largest other processes: ${share.top.map(([k, v]) => `${k} ${tenths(v)}`).join(', ')}` : ''}`);
      for (const w of workers) {
        const gone = new Promise((resolve) => w.once('exit', resolve));
        w.kill('SIGTERM');
        await gone;
      }
      await events.close();
      if (BACKEND === 'redis') await queue.obliterate({ force: true }); // this run's keys leave Redis
      await queue.close();
    }
    console.log(JSON.stringify({ enrollments: ENROLLMENTS, batch: BATCH, backend: BACKEND, cores: readFileSync('/proc/cpuinfo', 'utf8').split('\nprocessor').length, results }));
  } finally {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    // Dropping the database ends BullMQ's idle pool connections too: that is expected here.
    process.on('uncaughtException', (e: Error & { code?: string }) => {
      if (e.code !== '57P01') throw e;
    });
    await ds.destroy();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
