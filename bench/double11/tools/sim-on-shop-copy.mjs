// node sim.mjs <worktree> <shop.sqlite> <customers> [hash-out]: bench/double11's simulation on a copy of a generated shop.
// CALLGRIND=1: instrumentation switched on after the entry tick (27 Oct 09:00 +08:00) until the end of the simulation.
import { copyFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { openDouble11OnShopCopy, tableHashLines } from './double11-on-shop-copy.mjs';
const [root, shop, n, hashOut] = process.argv.slice(2);
const { ds, rt, clock, dir, from: FROM, to: TO, MS_PER_HOUR, simulate, replay } = await openDouble11OnShopCopy({ root, shop, customers: Number(n), prefix: 'd11j-' });
const ENTRY_END = Date.parse('2026-10-27T09:00:00+08:00');
import inspector from 'node:inspector';
const sess = process.env.PROF ? new inspector.Session() : null;
if (sess) { sess.connect(); sess.post('Profiler.enable'); sess.post('Profiler.setSamplingInterval', { interval: 200 }); }
const prof = (x) => { if (!sess) return; if (x === 'on') sess.post('Profiler.start'); else sess.post('Profiler.stop', (err, { profile }) => writeFileSync(process.env.PROF, JSON.stringify(profile))); };
const cg = (onoff) => { prof(onoff); if (process.env.CALLGRIND) execFileSync('callgrind_control', ['-i', onoff, String(process.pid)], { stdio: 'ignore' }); };
// the send executor's thread CPU (schedstat), post-entry ticks
const { openSync: oS, readSync: rS } = await import('node:fs');
const sfd = oS(`/proc/self/task/${process.pid}/schedstat`, 'r'); const sbuf = Buffer.alloc(128);
const oncpu = () => { const n = rS(sfd, sbuf, 0, 128, 0); return Number(sbuf.toString('latin1', 0, n).split(' ')[0]); };
let sendNs = 0, sendCalls = 0, mainNs0 = 0;
const sendEx = rt.engine.stepper.executors.get('send');
const origExec = sendEx.execute.bind(sendEx);
sendEx.execute = async (...a) => { if (!on) return origExec(...a); const c = oncpu(); try { return await origExec(...a); } finally { sendNs += oncpu() - c; sendCalls++; } };
let on = false; let cpuAt = null; let postSteps = 0, postSends = 0;
const origTick = rt.engine.tick.bind(rt.engine);
let idleTicks = 0, idleUs = 0;
rt.engine.tick = async (...a) => { const c0 = process.cpuUsage(); const r = await origTick(...a); const c = process.cpuUsage(c0); if (r.steps.steps === 0 && r.entries.every((e) => e.enrolled === 0)) { idleTicks++; idleUs += c.user + c.system; } if (on) { postSteps += r.steps.steps; postSends += r.steps.sends; } return r; };
const cpu0 = process.cpuUsage(); const t0 = performance.now();
const summary = await simulate(rt.engine, clock, replay, { from: FROM, to: TO, step: MS_PER_HOUR, onProgress: (t) => {
  if (!on && t >= ENTRY_END) { on = true; cpuAt = process.cpuUsage(cpu0); cg('on'); globalThis.__d11jMark?.('on'); mainNs0 = oncpu(); }
} });
cg('off');
globalThis.__d11jMark?.('off');
await rt.switchThread?.close();
const cpu = process.cpuUsage(cpu0);
const ms = (c) => (c.user + c.system) / 1000;
console.log(JSON.stringify({ entered: summary.enrolled, steps: summary.steps, queued: summary.queued, wallS: (performance.now() - t0) / 1000, cpuS: ms(cpu) / 1000, afterEntryCpuS: (ms(cpu) - ms(cpuAt)) / 1000, postSteps, postSends, sendExecCpuS: sendNs / 1e9, sendCalls, mainPostCpuS: (oncpu() - mainNs0) / 1e9, idleTicks, idleCpuS: idleUs / 1e6 }));
const q = (s) => ds.query(s);
const [{ n: sendRows }] = await q('SELECT COUNT(*) AS n FROM sends');
const [{ n: logRows }] = await q('SELECT COUNT(*) AS n FROM journey_steps');
console.log(JSON.stringify({ sendRows, logRows }));
await q('PRAGMA wal_checkpoint(TRUNCATE)');
if (hashOut) {
  const out = await tableHashLines(ds);
  {
    // the sends' texts exactly, but for the random token and code they name
    const h = createHash('sha256'); let rows = 0;
    for (const r of await q(`SELECT id, replace(replace(body, coalesce('/r/' || link_token, '§§'), '/r/TOKEN'), coalesce(coupon_code, '§§'), 'CODE') AS b, replace(replace(subject, coalesce('/r/' || link_token, '§§'), '/r/TOKEN'), coalesce(coupon_code, '§§'), 'CODE') AS s, typeof(subject) AS ts, link_token IS NULL AS lt, coupon_code IS NULL AS cc FROM sends ORDER BY id`)) { h.update(JSON.stringify(Object.values(r))); rows++; }
    out.push(`sends-texts ${rows} ${h.digest('hex').slice(0, 16)}`);
    const [c] = await q(`SELECT COUNT(*) AS n FROM sends WHERE body LIKE '%/r/%' AND link_token IS NULL`);
    out.push(`held-back-with-link ${c.n}`);
  }
  writeFileSync(hashOut, out.join('\n') + '\n');
}
await ds.destroy();
if (process.env.KEEP) copyFileSync(join(dir, 'shop.sqlite'), process.env.KEEP);
rmSync(dir, { recursive: true, force: true });
if (process.env.COUNT_RENDERS) console.log(JSON.stringify({ renders: globalThis.__renders }));
