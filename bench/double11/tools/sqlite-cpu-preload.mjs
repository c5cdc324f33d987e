// Preload: the stepping (main) thread's on-CPU time (schedstat, ns) inside better-sqlite3 statements during the
// simulation, by kind, against the thread's whole on-CPU time in the simulation.
import { createRequire } from 'node:module';
import { openSync, readSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';
if (isMainThread) {
  const require = createRequire(process.cwd() + '/package.json');
  const Database = require('better-sqlite3');
  const fd = openSync(`/proc/self/task/${process.pid}/schedstat`, 'r');
  const buf = Buffer.alloc(128);
  const oncpu = () => { const n = readSync(fd, buf, 0, 128, 0); return Number(buf.toString('latin1', 0, n).split(' ')[0]); };
  const mem = new Database(':memory:');
  const SP = mem.prepare('select 1').constructor.prototype;
  let on = false, depth = 0; const acc = {}; let t0 = 0, w0 = 0;
  const kind = (sql) => { const s = sql.trimStart().slice(0, 12).toUpperCase(); return s.startsWith('COMMIT') ? 'COMMIT' : s.startsWith('BEGIN') ? 'BEGIN' : s.startsWith('SELECT') || s.startsWith('WITH') ? 'read' : s.startsWith('INSERT') ? 'insert' : s.startsWith('UPDATE') ? 'update' : s.startsWith('DELETE') ? 'delete' : 'other:' + s.split(' ')[0]; };
  for (const m of ['run', 'all', 'get', 'iterate']) {
    const orig = SP[m];
    SP[m] = function (...a) {
      if (!on || depth > 0) return orig.apply(this, a);
      depth++; const c = oncpu(); const w = process.hrtime.bigint();
      try { return orig.apply(this, a); } finally {
        depth--; const k = (m === 'run' ? '' : 'r:') + kind(this.source); const x = (acc[k] ??= { n: 0, cpu: 0, wall: 0 }); x.n++; x.cpu += oncpu() - c; x.wall += Number(process.hrtime.bigint() - w);
      }
    };
  }
  const log = console.log;
  console.log = (...a) => {
    const s = String(a[0]);
    if (s.startsWith('shop:')) { on = true; t0 = oncpu(); w0 = performance.now(); }
    if (s.startsWith('simulation:') && on) {
      on = false; const total = (oncpu() - t0) / 1e9; const wall = (performance.now() - w0) / 1000;
      let sq = 0; const rows = Object.entries(acc).sort((x, y) => y[1].cpu - x[1].cpu).map(([k, v]) => { sq += v.cpu; return `${k} n=${v.n} cpu=${(v.cpu / 1e9).toFixed(2)}s wall=${(v.wall / 1e9).toFixed(2)}s`; });
      log(`[d11h-sql] main thread on CPU ${total.toFixed(2)} s in ${wall.toFixed(1)} s; in better-sqlite3 statements ${(sq / 1e9).toFixed(2)} s (${(100 * sq / 1e9 / total).toFixed(1)}%)`);
      for (const r of rows) log('[d11h-sql]   ' + r);
    }
    return log(...a);
  };
}
