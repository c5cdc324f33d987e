/**
 * bench/events: event intake of the real server over HTTP (autocannon), next to a baseline
 * measured in the same run: the bare NestJS app answering a constant (baseline-server.ts).
 *
 *   npm run build && npm run bench:events -- [--customers 20000] [--seconds 10] [--connections 50]
 *
 * On a generated demo shop (SQLite) with payment-reminder published:
 *   1. baseline: POST /api/constant with an event body
 *   2. single order_created events (each starts a payment-reminder journey)
 *   3. the same with orders created 3 h ago (their first reminder is due at once: stepping runs too)
 *   4. batches of 1,000 events (events/s)
 *   5. event-to-journey lag: a probe posts an event every 100 ms during (2) and times until its
 *      journey exists in the database (p50/p99)
 *   6. single events while a segment is computed over the whole shop again and again
 * Prints requests/s, p50/p99 latency and the ratio to the baseline for each.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { externalIdWidth, generateDemoShop } from '../../server/src/core/seed/generate-shop.js';
import { RuleSet, segmentsDir } from '../../server/src/core/rules/rule-set.js';
import { bulkWriteShop } from '../../server/src/persistence/bulk-writer.js';
import { openDatabase } from '../../server/src/persistence/data-source.js';
import { FlowRepository } from '../../server/src/persistence/flow-repository.js';
import { AccountStore } from '../../server/src/persistence/accounts.js';
import { loadValidFlow } from '../../server/src/runtime/flow-files.js';
import { freePort } from '../support/free-port.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}
const CUSTOMERS = arg('customers', 20_000);
const SECONDS = arg('seconds', 10);
const CONNECTIONS = arg('connections', 50);
const HOUR = 3_600_000;
const TZ = 'Asia/Shanghai';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function ready(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    if (child.exitCode !== null) throw new Error(`${url}: server exited (${child.exitCode})`);
    try {
      await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[]' });
      return;
    } catch {
      await sleep(50);
    }
  }
  throw new Error(`${url}: not ready`);
}

interface Figure {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  /** Requests answered with 2xx during the run. */
  ok: number;
}

/**
 * CPU time (µs) of each thread of a process so far, from /proc (Linux; empty elsewhere). Wall-clock
 * figures swing with whatever else runs on the machine; CPU per request and thread much less.
 */
function threadCpu(pid: number | undefined): Map<string, number> {
  const out = new Map<string, number>();
  if (!pid || process.platform !== 'linux') return out;
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const close = stat.lastIndexOf(')');
        const name = stat.slice(stat.indexOf('(') + 1, close);
        const f = stat.slice(close + 2).split(' ');
        // utime and stime (fields 14 and 15) in clock ticks of 10 ms
        out.set(`${Number(tid) === pid ? 'main' : name}#${tid}`, (Number(f[11]) + Number(f[12])) * 10_000);
      } catch {
        // the thread ended meanwhile
      }
    }
  } catch {
    // no /proc
  }
  return out;
}

/** µs of CPU per unit (request or event) of each server thread that used at least 2% of the total, between two threadCpu readings. */
function cpuPerUnit(before: Map<string, number>, after: Map<string, number>, units: number): string {
  if (units <= 0 || after.size === 0) return '';
  const used = [...after].map(([k, v]) => [k, v - (before.get(k) ?? 0)] as const).filter(([, d]) => d > 0);
  const total = used.reduce((s, [, d]) => s + d, 0);
  const big = used.filter(([, d]) => d >= total * 0.02).sort((a, b) => b[1] - a[1]);
  return `server CPU ${(total / units).toFixed(1)} µs a unit: ` + big.map(([k, d]) => `${k} ${(d / units).toFixed(1)}`).join(', ');
}

let counter = 0;
/** An admin API token of the bench's shop (the baseline ignores it). */
let AUTH = '';
const event = (customer: number, createdAt: number) => {
  const orderId = `bench-${process.pid}-${counter++}`;
  return { type: 'order_created', customerExternalId: `c${String(customer).padStart(externalIdWidth(CUSTOMERS), '0')}`, occurredAt: new Date(createdAt).toISOString(), idempotencyKey: `${orderId}:created`, properties: { orderId, amount: 99 } };
};

async function load(url: string, body: () => string, connections = CONNECTIONS): Promise<Figure> {
  const r = await autocannon({
    url,
    method: 'POST',
    connections,
    duration: SECONDS,
    headers: { 'content-type': 'application/json', authorization: AUTH },
    requests: [{ setupRequest: (req) => ({ ...req, body: body() }) }],
  });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx, ok: r['2xx'] };
}

/** Waits until the engine has acted on every stored event, so figures do not carry over a backlog. */
async function settle(port: number): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const r = (await (await fetch(`http://127.0.0.1:${port}/api/events/intake`, { headers: { authorization: AUTH } })).json()) as { pending: number };
    if (r.pending === 0) return;
    await sleep(100);
  }
}

function print(name: string, f: Figure, base: Figure, unit = 'requests/s', perRequest = 1, cpu = '') {
  const rate = f.rps * perRequest;
  console.log(
    `${name.padEnd(58)} ${Math.round(rate).toLocaleString('en').padStart(9)} ${unit}  p50 ${f.p50} ms  p99 ${f.p99} ms  ` +
      `(${((f.rps / base.rps) * 100).toFixed(0)}% of baseline requests/s, p99 ${(f.p99 / Math.max(base.p99, 1)).toFixed(1)}x)${f.errors ? `  ERRORS ${f.errors}` : ''}`,
  );
  if (cpu) console.log(`  ${cpu}`);
}

/** Runs a load and reads the server's per-thread CPU around it (including what the engine does until the backlog is consumed when `settle` is given). */
async function measured(pid: number | undefined, run: () => Promise<Figure>, perRequest = 1, settle?: () => Promise<void>): Promise<{ f: Figure; cpu: string }> {
  const before = threadCpu(pid);
  const clientBefore = process.cpuUsage();
  const f = await run();
  if (!settle) return { f, cpu: cpuPerUnit(before, threadCpu(pid), f.ok * perRequest) };
  // Also read at the end of the load: how much of the work was done while the requests came (the
  // rest, the engine working off the backlog, competes with no request).
  const loaded = threadCpu(pid);
  const client = process.cpuUsage(clientBefore);
  await settle();
  const settled = threadCpu(pid);
  const units = f.ok * perRequest;
  // The client (this process: autocannon and the bodies it sends) shares the machine with the server.
  const clientCpu = units > 0 ? `; the bench's own process (the client) ${((client.user + client.system) / units).toFixed(1)} µs a unit` : '';
  // An empty inbox is not the end of the load's work: the journeys it started may be due for a
  // first step still, which the engine thread's ticks take after. Read once the server is idle.
  const idle = await idleCpu(pid);
  return {
    f,
    cpu:
      `${cpuPerUnit(before, settled, units)}\n  of which during the load: ${cpuPerUnit(before, loaded, units).replace('server CPU ', '')}${clientCpu}` +
      (idle ? `\n  until the server is idle (${idle.seconds.toFixed(0)} s after the inbox emptied): ${cpuPerUnit(before, idle.cpu, units).replace('server CPU ', '')}` : ''),
  };
}

/**
 * Waits until the server's threads together use under 2% of a core over a second (at most 120 s),
 * and answers their CPU then (null without /proc).
 */
async function idleCpu(pid: number | undefined): Promise<{ cpu: Map<string, number>; seconds: number } | null> {
  const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  const t0 = performance.now();
  let last = threadCpu(pid);
  if (last.size === 0) return null;
  for (let i = 0; i < 120; i++) {
    await sleep(1000);
    const now = threadCpu(pid);
    if (total(now) - total(last) < 20_000) return { cpu: now, seconds: (performance.now() - t0) / 1000 };
    last = now;
  }
  return { cpu: last, seconds: (performance.now() - t0) / 1000 };
}

const pct = (xs: number[], p: number) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] : NaN);

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'rekindle-bench-events-'));
  const children: ChildProcess[] = [];
  try {
    const file = join(dir, 'shop.sqlite');
    const rules = join(dir, 'rules');
    mkdirSync(rules);
    cpSync('rules', rules, { recursive: true });
    const now = Date.now();
    const ds = await openDatabase({ url: file });
    await bulkWriteShop(ds, generateDemoShop({ customers: CUSTOMERS, seed: 5, now, timezone: TZ }), { timezone: TZ, now });
    const { flow } = loadValidFlow(rules, 'payment-reminder', RuleSet.loadDir(segmentsDir(rules)));
    await new FlowRepository(ds).publish(flow, 'bench', now);
    AUTH = `Bearer ${(await new AccountStore(ds).createToken('bench', ['admin'], 'bench')).token}`;
    await ds.destroy();
    console.log(`shop: ${CUSTOMERS.toLocaleString('en')} customers (SQLite), payment-reminder published; ${CONNECTIONS} connections, ${SECONDS} s per figure`);

    const basePort = await freePort();
    const base = spawn(process.execPath, ['dist/bench/events/baseline-server.js'], { env: { ...process.env, PORT: String(basePort) }, stdio: 'ignore' });
    children.push(base);
    const port = await freePort();
    // BENCH_SERVER_NODE_ARGS="--import ./dist/bench/events/cpu-profile.js" profiles the server under load.
    const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const server = spawn(process.execPath, [...nodeArgs, 'dist/server/src/main.js'], { env: { ...process.env, DATABASE_URL: file, REKINDLE_RULES: rules, PORT: String(port), REKINDLE_QUIET: '1' }, stdio: 'ignore' });
    children.push(server);
    const baseUrl = `http://127.0.0.1:${basePort}/api/constant`;
    const eventsUrl = `http://127.0.0.1:${port}/api/events`;
    await ready(baseUrl, base);
    await ready(eventsUrl, server);

    const rnd = () => Math.floor(Math.random() * CUSTOMERS) + 1;
    // BENCH_ONLY=single,due,batch,segment runs only those figures (the baseline always runs), e.g. to profile one.
    const only = process.env.BENCH_ONLY?.split(',');
    const runs = (figure: string) => !only || only.includes(figure);
    const { f: baseline, cpu: baseCpu } = await measured(base.pid, () => load(baseUrl, () => JSON.stringify(event(rnd(), Date.now()))));
    console.log(`baseline: bare NestJS answering a constant                  ${Math.round(baseline.rps).toLocaleString('en').padStart(9)} requests/s  p50 ${baseline.p50} ms  p99 ${baseline.p99} ms`);
    if (baseCpu) console.log(`  baseline ${baseCpu}`);
    const settled = () => settle(port);

    // 2 + 5: single events, with a lag probe alongside.
    const db = new Database(file, { readonly: true });
    const journeyOf = db.prepare("SELECT 1 FROM enrollments j JOIN customer_events e ON j.entry_key = 'event-' || e.id WHERE e.client_id <> '' AND e.idempotency_key = ?");
    const lags: number[] = [];
    const posts: number[] = [];
    let probing = true;
    const probe = (async () => {
      while (probing) {
        const e = event(rnd(), Date.now());
        const t0 = performance.now();
        const res = await fetch(eventsUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: AUTH }, body: JSON.stringify(e) });
        if (res.ok) {
          posts.push(performance.now() - t0);
          while (!journeyOf.get(e.idempotencyKey) && performance.now() - t0 < 30_000) await sleep(2);
          lags.push(performance.now() - t0);
        }
        await sleep(100);
      }
    })();
    if (!runs('single')) probing = false;
    const single = runs('single') ? await measured(server.pid, () => load(eventsUrl, () => JSON.stringify(event(rnd(), Date.now()))), 1, settled) : null;
    probing = false;
    await probe;
    if (single) {
      print('single order_created events (start payment reminders)', single.f, baseline, 'requests/s', 1, single.cpu);
      console.log(`event-to-journey lag (stored -> journey exists, ${lags.length} probes)       p50 ${pct(lags, 50).toFixed(0)} ms  p99 ${pct(lags, 99).toFixed(0)} ms  (target p99 < 1 s)`);
      if (process.env.BENCH_LAGS) console.log(`  lags in order (ms; of which the POST): ${lags.map((l, i) => `${l.toFixed(0)} (${posts[i].toFixed(0)})`).join(' ')}`);
    }

    if (runs('due')) {
      await settle(port);
      const due = await measured(server.pid, () => load(eventsUrl, () => JSON.stringify(event(rnd(), Date.now() - 3 * HOUR))), 1, settled);
      print('single events, reminders already due (stepping runs too)', due.f, baseline, 'requests/s', 1, due.cpu);
    }

    if (runs('batch')) {
      await settle(port);
      const batch = await measured(server.pid, () => load(eventsUrl, () => JSON.stringify(Array.from({ length: 1000 }, () => event(rnd(), Date.now()))), 8), 1000, settled);
      print('batches of 1,000 events (8 connections)', batch.f, baseline, 'events/s', 1000, batch.cpu);
    }

    if (!runs('segment')) return;
    await settle(port);
    let segmenting = true;
    let segments = 0;
    const segmentTimes: number[] = [];
    const segmentLoop = (async () => {
      while (segmenting) {
        const t0 = performance.now();
        const res = await fetch(`http://127.0.0.1:${port}/api/segments/d11-audience/count`, { headers: { authorization: AUTH } }).catch(() => null);
        if (!res?.ok) throw new Error(`segment count failed: ${res?.status}`);
        segmentTimes.push(performance.now() - t0);
        segments++;
      }
    })();
    const { f: during, cpu: duringCpu } = await measured(server.pid, () => load(eventsUrl, () => JSON.stringify(event(rnd(), Date.now()))));
    segmenting = false;
    await segmentLoop;
    print(`single events while a segment is computed (${segments} runs, p50 ${pct(segmentTimes, 50).toFixed(0)} ms)`, during, baseline, 'requests/s', 1, duringCpu);
    db.close();
  } finally {
    if (process.env.BENCH_SERVER_NODE_ARGS) {
      // A profiled server (cpu-profile.ts) writes its profiles on SIGUSR2 and then exits by itself.
      // Wait for that exit (up to 60 s), not a fixed time: on a loaded machine writing the
      // profiles of a 10 s load took longer than the 5 s once waited, and none were written.
      const server = children[1];
      if (server && server.exitCode === null && server.signalCode === null) {
        const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
        server.kill('SIGUSR2');
        await Promise.race([exited, sleep(60_000)]);
      }
    }
    for (const c of children) c.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
