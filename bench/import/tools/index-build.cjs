// index-build.cjs DB [pragma ...]: on a copy of an imported shop DB (from the repo root), the two by-customer indexes
// dropped and built again as an import's end does (its pragmas; more as arguments, e.g. cache_size=-8192 threads=1), timed: wall, CPU, run-queue wait.
const fs = require('fs');
const Database = require(require.resolve('better-sqlite3', { paths: [process.cwd()] }));
const src = process.argv[2], db0 = (process.env.WORK || require('os').tmpdir()) + '/index-build-work.sqlite';
for (const s of ['', '-wal', '-shm']) fs.rmSync(db0 + s, { force: true });
fs.copyFileSync(src, db0);
const db = new Database(db0);
db.pragma('journal_mode = WAL'); db.pragma('synchronous = NORMAL'); db.pragma('cache_size = -131072'); db.pragma('temp_store = MEMORY'); db.pragma('wal_autocheckpoint = 0');
for (const p of process.argv.slice(3)) db.pragma(p);
const defs = {};
for (const n of ['ix_customer_events_customer_type', 'ix_orders_customer_id']) { const r = db.prepare("SELECT sql FROM sqlite_master WHERE name = ?").get(n); if (r) { defs[n] = r.sql; db.exec(`DROP INDEX ${n}`); } }
db.pragma('wal_checkpoint(TRUNCATE)');
const ss = () => fs.readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ').map(Number);
// warm: scan both tables (the import's end has them in its cache)
db.prepare('SELECT count(*), sum(length(properties)) FROM customer_events').get(); db.prepare('SELECT count(*), sum(customer_id) FROM orders').get();
for (const [n, sql] of Object.entries(defs)) {
  const w0 = performance.now(), s0 = ss(), c0 = process.cpuUsage();
  db.exec('BEGIN'); db.exec(sql); const w1 = performance.now(); db.exec('COMMIT');
  const s1 = ss(), c1 = process.cpuUsage(c0);
  console.log(n, 'build', (w1 - w0).toFixed(0), 'ms, +commit', (performance.now() - w1).toFixed(0), 'ms; cpu', ((s1[0] - s0[0]) / 1e6).toFixed(0), 'rq', ((s1[1] - s0[1]) / 1e6).toFixed(0), 'proc cpu', ((c1.user + c1.system) / 1e3).toFixed(0));
}
console.log(db.prepare('PRAGMA compile_options').all().map((r) => r.compile_options).filter((o) => /MEM|THREAD|SORTER|DEFAULT_CACHE|WORKER|PMA/.test(o)).join(' '));
