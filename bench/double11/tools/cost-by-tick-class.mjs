// node cost-by-tick-class.mjs <worktree> <shop.sqlite> <customers> [hash-out]: bench/double11's simulation on a copy of a shop made by
// generate-shop-file.mjs, by tick class (entry, 5 Nov, 8 Nov, other busy/small, idle): steps, process / stepping-thread
// CPU, run-queue wait, GC, read/write syscalls, heap. Env CACHE_MB, MMAP_MB: those pragmas on the simulation's connection.
import { copyFileSync, mkdtempSync, rmSync, writeFileSync, readFileSync, openSync, readSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
const [root, shop, n, hashOut] = process.argv.slice(2);
const D = (p) => import(`${root}/dist/${p}`);
process.chdir(root);
const { MS_PER_DAY, MS_PER_HOUR, VirtualClock } = await D('server/src/core/clock.js');
const { simulate } = await D('server/src/core/engine/simulation.js');
const { openWorkspace } = await D('server/src/config/workspace.js');
const { openDatabase } = await D('server/src/persistence/data-source.js');
const { StoredEventReplay } = await D('server/src/persistence/event-replay.js');
const { widenWalForSimulation } = await D('server/src/persistence/simulation-wal.js');
const { createEngineRuntime } = await D('server/src/runtime/engine-runtime.js');
const { loadValidFlow } = await D('server/src/runtime/flow-files.js');
const CUSTOMERS = Number(n);
const GROUP_MAX = CUSTOMERS >= 300_000 ? 30_000 : Math.max(1, Math.round((30_000 * CUSTOMERS) / 300_000));
const ws = openWorkspace('rules');
const FROM = Date.parse('2026-10-27T00:00:00+08:00');
const TO = FROM + 25 * MS_PER_DAY;
const dir = mkdtempSync(join(tmpdir(), 'd11n-'));
copyFileSync(shop, join(dir, 'shop.sqlite'));
const ds = await openDatabase({ url: join(dir, 'shop.sqlite') });
await widenWalForSimulation(ds);
if (process.env.CACHE_MB) await ds.query(`PRAGMA cache_size = -${Number(process.env.CACHE_MB) * 1024}`);
if (process.env.MMAP_MB) await ds.query(`PRAGMA mmap_size = ${Number(process.env.MMAP_MB) * 1048576}`);
const clock = new VirtualClock(FROM);
const rt = createEngineRuntime(ds, ws, clock, { switchThread: !['0', 'off'].includes(process.env.REKINDLE_SWITCH_THREAD ?? '') });
const { flow } = loadValidFlow(ws.rulesDir, 'tests/fixtures/double11-2026/double11-campaign.flow.yaml', rt.rules);
const entry = flow.nodes.find((x) => x.type === 'entry');
if (entry.limit) entry.limit.max = GROUP_MAX;
for (const x of flow.nodes) if (x.type === 'limit' && x.max === 30_000) x.max = GROUP_MAX;
await rt.flows.publish(flow, 'bench', FROM);
const sfd = openSync(`/proc/self/task/${process.pid}/schedstat`, 'r'); const sbuf = Buffer.alloc(128);
const oncpu = () => { const k = readSync(sfd, sbuf, 0, 128, 0); return Number(sbuf.toString('latin1', 0, k).split(' ')[0]) / 1e9; };
const rqwait = () => { const k = readSync(sfd, sbuf, 0, 128, 0); return Number(sbuf.toString('latin1', 0, k).split(' ')[1]) / 1e9; };
import { readdirSync } from 'node:fs';
const threads = () => { const out = {}; for (const t of readdirSync('/proc/self/task')) { try { const s = readFileSync(`/proc/self/task/${t}/stat`, 'utf8'); const f = s.slice(s.lastIndexOf(')') + 2).split(' '); const name = s.slice(s.indexOf('(') + 1, s.lastIndexOf(')')); out[name] = (out[name] ?? 0) + (Number(f[11]) + Number(f[12])) / 100; } catch {} } return out; };
const io = () => Object.fromEntries(readFileSync('/proc/self/io', 'utf8').trim().split('\n').map((l) => { const [k, v] = l.split(': '); return [k, Number(v)]; }));
let gcMs = 0; const gcKind = {}; new PerformanceObserver((l) => { for (const e of l.getEntries()) { gcMs += e.duration; const k = e.detail?.kind ?? e.kind; const g = (gcKind[k] ??= { n: 0, ms: 0 }); g.n++; g.ms += e.duration; } }).observe({ entryTypes: ['gc'] });
const cls = {};
const label = (t) => { const s = new Date(t + 8 * MS_PER_HOUR).toISOString().slice(5, 13); return ['10-27T09', '11-05T10', '11-08T10'].includes(s) ? s : null; };
const origTick = rt.engine.tick.bind(rt.engine);
rt.engine.tick = async (...a) => {
  const th0 = threads(), q0 = rqwait(); const c0 = process.cpuUsage(), m0 = oncpu(), i0 = io(), g0 = gcMs, w0 = performance.now();
  const r = await origTick(...a);
  const c = process.cpuUsage(c0), i1 = io();
  const steps = r.steps.steps, entered = r.entries.reduce((s, e) => s + e.enrolled, 0);
  const k = label(clock.now()) ?? (steps > 5000 ? 'other-busy' : steps > 0 || entered > 0 ? 'other-small' : 'idle');
  const x = (cls[k] ??= { ticks: 0, steps: 0, entered: 0, wall: 0, cpu: 0, main: 0, gc: 0, syscr: 0, syscw: 0, rchar: 0, wchar: 0 });
  const th1 = threads(); x.th ??= {}; for (const kk in th1) x.th[kk] = +((x.th[kk] ?? 0) + th1[kk] - (th0[kk] ?? 0)).toFixed(2); x.rq = (x.rq ?? 0) + rqwait() - q0; x.heapMaxMB = Math.max(x.heapMaxMB ?? 0, Math.round(process.memoryUsage().heapUsed / 1048576)); x.ticks++; x.steps += steps; x.entered += entered; x.wall += (performance.now() - w0) / 1000; x.cpu += (c.user + c.system) / 1e6; x.main += oncpu() - m0; x.gc += (gcMs - g0) / 1000;
  x.syscr += i1.syscr - i0.syscr; x.syscw += i1.syscw - i0.syscw; x.rchar += i1.rchar - i0.rchar; x.wchar += i1.wchar - i0.wchar;
  return r;
};
const cpu0 = process.cpuUsage(); const t0 = performance.now(); const m0 = oncpu(); const la0 = loadavg()[0];
const summary = await simulate(rt.engine, clock, new StoredEventReplay(ds), { from: FROM, to: TO, step: MS_PER_HOUR });
await rt.switchThread?.close();
const cpu = process.cpuUsage(cpu0); const wall = (performance.now() - t0) / 1000;
const tot = { entered: summary.enrolled, steps: summary.steps, wallS: +wall.toFixed(2), cpuS: +((cpu.user + cpu.system) / 1e6).toFixed(2), mainS: +(oncpu() - m0).toFixed(2), usPerStep: +((cpu.user + cpu.system) / summary.steps).toFixed(2), load: [la0, loadavg()[0]].map((v) => +v.toFixed(1)), cache: process.env.CACHE_MB ?? '64', mmap: process.env.MMAP_MB ?? '0' };
console.log('TOTAL', JSON.stringify(tot)); console.log('GC', JSON.stringify(Object.fromEntries(Object.entries(gcKind).map(([k, g]) => [k, { n: g.n, s: +(g.ms / 1000).toFixed(2) }]))), 'rssMB', Math.round(process.memoryUsage().rss / 1048576));
for (const [k, x] of Object.entries(cls)) console.log('TICK', k, JSON.stringify({ ...Object.fromEntries(Object.entries(x).map(([a, v]) => [a, typeof v === 'number' && !Number.isInteger(v) ? +v.toFixed(2) : v])), usStep: x.steps ? +(x.cpu * 1e6 / x.steps).toFixed(2) : null, mainUsStep: x.steps ? +(x.main * 1e6 / x.steps).toFixed(2) : null, readsPerStep: x.steps ? +(x.syscr / x.steps).toFixed(3) : null, wBytesPerStep: x.steps ? Math.round(x.wchar / x.steps) : null }));
const q = (s) => ds.query(s);
const [{ n: sendRows }] = await q('SELECT COUNT(*) AS n FROM sends');
console.log('ROWS', JSON.stringify({ sendRows }));
if (hashOut) {
  const tables = (await q("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")).map((r) => r.name);
  const out = [];
  for (const t of tables) {
    const cols = (await q(`PRAGMA table_info("${t}")`)).map((c) => c.name);
    const mask = new Set(['link_token', 'link_url', 'body', 'subject', 'coupon_code', 'code', 'without_coupon', 'token', 'properties']);
    const sel = cols.map((c) => mask.has(c) ? `length("${c}")` : `"${c}", typeof("${c}")`).join(', ');
    const h = createHash('sha256'); let rows = 0;
    for (const r of await q(`SELECT ${sel} FROM "${t}" ORDER BY 1`)) { h.update(JSON.stringify(Object.values(r))); rows++; }
    out.push(`${t} ${rows} ${h.digest('hex').slice(0, 16)}`);
  }
  writeFileSync(hashOut, out.join('\n') + '\n');
}
await ds.destroy();
rmSync(dir, { recursive: true, force: true });
