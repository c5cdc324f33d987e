// Preload: the stepping thread's own CPU in the simulation (/proc/self/task/<pid>/stat), per-thread CPU, batches,
// enrollment visits by node type and each executor's wall (JS + its DB reads).
import { readFileSync, readdirSync } from 'node:fs';
const base = process.cwd() + '/dist/server/src/core/engine/';
const { Stepper } = await import(base + 'stepper.js');
const { ExecutorRegistry } = await import(base + 'executor.js');
const tck = 100; // USER_HZ
const sched = () => { const out = {}; for (const t of readdirSync('/proc/self/task')) { try { const [run, wait] = readFileSync(`/proc/self/task/${t}/schedstat`, 'utf8').split(' ').map(Number); out[t] = [run / 1e9, wait / 1e9]; } catch {} } return out; };
let last = {}, s0 = null;
const threadCpu = () => { const out = {}; for (const t of readdirSync('/proc/self/task')) { try { const s = readFileSync(`/proc/self/task/${t}/stat`, 'utf8'); const f = s.slice(s.lastIndexOf(')') + 2).split(' '); out[t + ' ' + s.slice(s.indexOf('(') + 1, s.lastIndexOf(')'))] = (Number(f[11]) + Number(f[12])) / tck; } catch {} } return out; };
let at0 = null; const visits = {}, execMs = {}; let batches = 0, enrollments = 0;
const sb = Stepper.prototype.stepBatch;
Stepper.prototype.stepBatch = function (batch, now) { if (s0) { const x = sched(); for (const k in x) last[k] = x[k]; } batches++; enrollments += batch.length; return sb.call(this, batch, now); };
const g = ExecutorRegistry.prototype.get;
ExecutorRegistry.prototype.get = function (type) {
  const ex = g.call(this, type);
  return { ...ex, execute: async (node, b, ctx) => { visits[type] = (visits[type] ?? 0) + b.length; const t = performance.now(); try { return await ex.execute(node, b, ctx); } finally { execMs[type] = (execMs[type] ?? 0) + performance.now() - t; } } };
};
const log = console.log;
console.log = (...a) => {
  const s = String(a[0]);
  if (s.startsWith('shop:')) { at0 = threadCpu(); s0 = sched(); }
  if (s.startsWith('simulation:') && at0) {
    const now = threadCpu(); const d = {};
    for (const k of Object.keys(now)) d[k] = +(now[k] - (at0[k] ?? 0)).toFixed(2);
    log('[d11h] thread CPU in simulation (s):', JSON.stringify(d));
    const x = sched(); for (const k in x) last[k] = x[k]; log('[d11h] schedstat in simulation (on CPU s / runqueue wait s), threads seen at a batch:', JSON.stringify(Object.fromEntries(Object.entries(last).map(([k, [r, w]]) => [k, [+(r - (s0[k]?.[0] ?? 0)).toFixed(2), +(w - (s0[k]?.[1] ?? 0)).toFixed(2)]]))));
    log('[d11h] batches', batches, 'enrollment visits (stepBatch)', enrollments, 'executor visits', JSON.stringify(visits), 'executor wall ms', JSON.stringify(Object.fromEntries(Object.entries(execMs).map(([k, v]) => [k, Math.round(v)]))));
  }
  return log(...a);
};
