// node cost-by-tick-class.mjs <worktree> <shop.sqlite> <customers> [hash-out]: bench/double11's simulation on a copy of a shop made by
// generate-shop-file.mjs, by tick class (entry, 5 Nov, 8 Nov, other busy/small, idle): steps, process / stepping-thread
// CPU, run-queue wait, GC, read/write syscalls, heap. Env CACHE_MB, MMAP_MB: those pragmas on the simulation's connection;
// PRAGMAS='journal_mode=MEMORY;…': any others, `;`-separated, each printed with its answer.
import { rmSync, writeFileSync, readFileSync, openSync, readSync } from 'node:fs';
import { loadavg } from 'node:os';
import { openDouble11OnShopCopy, tableHashLines } from './double11-on-shop-copy.mjs';
import { PerformanceObserver } from 'node:perf_hooks';
const [root, shop, n, hashOut] = process.argv.slice(2);
const tune = async (ds) => {
  if (process.env.CACHE_MB) await ds.query(`PRAGMA cache_size = -${Number(process.env.CACHE_MB) * 1024}`);
  if (process.env.MMAP_MB) await ds.query(`PRAGMA mmap_size = ${Number(process.env.MMAP_MB) * 1048576}`);
  for (const p of (process.env.PRAGMAS ?? '').split(';').filter(Boolean)) console.log('PRAGMA', p, JSON.stringify(await ds.query(`PRAGMA ${p}`)));
};
const { ds, rt, clock, dir, from: FROM, to: TO, MS_PER_HOUR, simulate, replay } = await openDouble11OnShopCopy({ root, shop, customers: Number(n), prefix: 'd11n-', tune });
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
const summary = await simulate(rt.engine, clock, replay, { from: FROM, to: TO, step: MS_PER_HOUR });
await rt.switchThread?.close();
const cpu = process.cpuUsage(cpu0); const wall = (performance.now() - t0) / 1000;
const tot = { entered: summary.enrolled, steps: summary.steps, wallS: +wall.toFixed(2), cpuS: +((cpu.user + cpu.system) / 1e6).toFixed(2), mainS: +(oncpu() - m0).toFixed(2), usPerStep: +((cpu.user + cpu.system) / summary.steps).toFixed(2), load: [la0, loadavg()[0]].map((v) => +v.toFixed(1)), cache: process.env.CACHE_MB ?? '64', mmap: process.env.MMAP_MB ?? '0', pragmas: process.env.PRAGMAS ?? '' };
console.log('TOTAL', JSON.stringify(tot)); console.log('GC', JSON.stringify(Object.fromEntries(Object.entries(gcKind).map(([k, g]) => [k, { n: g.n, s: +(g.ms / 1000).toFixed(2) }]))), 'rssMB', Math.round(process.memoryUsage().rss / 1048576));
for (const [k, x] of Object.entries(cls)) console.log('TICK', k, JSON.stringify({ ...Object.fromEntries(Object.entries(x).map(([a, v]) => [a, typeof v === 'number' && !Number.isInteger(v) ? +v.toFixed(2) : v])), usStep: x.steps ? +(x.cpu * 1e6 / x.steps).toFixed(2) : null, mainUsStep: x.steps ? +(x.main * 1e6 / x.steps).toFixed(2) : null, readsPerStep: x.steps ? +(x.syscr / x.steps).toFixed(3) : null, wBytesPerStep: x.steps ? Math.round(x.wchar / x.steps) : null }));
const q = (s) => ds.query(s);
const [{ n: sendRows }] = await q('SELECT COUNT(*) AS n FROM sends');
console.log('ROWS', JSON.stringify({ sendRows }));
if (hashOut) writeFileSync(hashOut, (await tableHashLines(ds)).join('\n') + '\n');
await ds.destroy();
rmSync(dir, { recursive: true, force: true });
