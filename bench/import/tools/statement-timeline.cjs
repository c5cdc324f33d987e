// Preload (`node -r bench/import/tools/statement-timeline.cjs dist/bench/import/run.js …`): every
// better-sqlite3 run/get/all/exec/pragma on the main (importing) thread that takes over 20 ms, with
// that thread's CPU and its run-queue wait (/proc/self/task/<tid>/schedstat: time on a CPU, time
// runnable but waiting for one) and the process's disk bytes (/proc/self/io). wall − cpu − run-queue
// = time the thread was blocked (I/O, fsync, a lock). Written as JSON to $TL_OUT at exit (Linux only).
const { isMainThread } = require('worker_threads');
if (isMainThread) {
  const fs = require('fs');
  const out = process.env.TL_OUT || 'statement-timeline.json';
  const t0 = Date.now();
  const schedstat = () => fs.readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ').map(Number);
  const io = () => {
    const o = {};
    for (const l of fs.readFileSync('/proc/self/io', 'utf8').trim().split('\n')) {
      const [k, v] = l.split(': ');
      o[k] = Number(v);
    }
    return o;
  };
  const rec = [];
  const Database = require(require.resolve('better-sqlite3', { paths: [process.cwd()] }));
  const wrap = (proto, name, textOf) => {
    const f = proto[name];
    proto[name] = function (...a) {
      const w0 = performance.now(), s0 = schedstat(), i0 = io();
      try {
        return f.apply(this, a);
      } finally {
        const w = performance.now() - w0;
        if (w > 20) {
          const s1 = schedstat(), i1 = io();
          rec.push({ at: Date.now() - t0, wall: Math.round(w), cpu: Math.round((s1[0] - s0[0]) / 1e6), rq: Math.round((s1[1] - s0[1]) / 1e6), wMB: Math.round((i1.write_bytes - i0.write_bytes) / 1048576), rMB: Math.round((i1.read_bytes - i0.read_bytes) / 1048576), sql: String(textOf(this, a)).replace(/\s+/g, ' ').slice(0, 90) });
        }
      }
    };
  };
  const st = Object.getPrototypeOf(new Database(':memory:').prepare('select 1'));
  for (const n of ['run', 'get', 'all']) wrap(st, n, (s) => s.source);
  wrap(Database.prototype, 'exec', (_d, a) => a[0]);
  wrap(Database.prototype, 'pragma', (_d, a) => 'PRAGMA ' + a[0]);
  process.on('exit', () => fs.writeFileSync(out, JSON.stringify(rec)));
}
