// The 20k Double-11 run's send rows inserted again into a fresh copy of the shop (empty sends), as the stepper does
// (50-row statements, ~876 rows a transaction), per variant of the sends' indexes; thread CPU (user+sys) of inserts + commits.
import { createRequire } from 'node:module';
import { copyFileSync, rmSync, openSync, readSync } from 'node:fs';
const require = createRequire('/work/wt/d11j/package.json');
const Database = require('better-sqlite3');
const COLS = ['idempotency_key', 'enrollment_id', 'customer_id', 'flow_id', 'version_id', 'node_id', 'arm', 'channel', 'category', 'priority', 'subject', 'body', 'link_token', 'link_url', 'coupon_code', 'coupon_value', 'cost', 'status', 'reason', 'attempts', 'next_attempt_at', 'scheduled_at', 'campaign', 'group_label'];
const src = new Database('/tmp/d11j/post-20k.sqlite', { readonly: true });
const rows = src.prepare(`SELECT ${COLS.join(', ')} FROM sends ORDER BY id`).raw().all();
const fd = openSync(`/proc/self/task/${process.pid}/schedstat`, 'r'); const buf = Buffer.alloc(128);
const oncpu = () => { const n = readSync(fd, buf, 0, 128, 0); return Number(buf.toString('latin1', 0, n).split(' ')[0]); };
const variants = (process.env.VARIANTS ?? 'all,-ix_sends_flow,-ix_sends_customer,-uq_sends_link_token,-ix_sends_due,-ix_sends_flow_scheduled,-ix_sends_flow_unsent,-allix').split(',');
const res = {};
for (let rep = 0; rep < Number(process.env.REPS ?? 3); rep++) for (const v of variants) {
  const f = `/tmp/d11j/micro-${process.pid}.sqlite`;
  copyFileSync('/tmp/d11j/shop-20k.sqlite', f);
  const db = new Database(f);
  db.pragma('journal_mode = WAL'); db.pragma('synchronous = NORMAL'); db.pragma('cache_size = -65536'); db.pragma('wal_autocheckpoint = 65536');
  const ixs = db.prepare("select name from sqlite_master where type='index' and tbl_name='sends' and sql is not null").all().map((r) => r.name);
  if (v === '-allix') { for (const i of ixs) if (i !== 'uq_sends_idempotency_key') db.exec(`DROP INDEX ${i}`); }
  else if (v.startsWith('-')) db.exec(`DROP INDEX ${v.slice(1)}`);
  const tuple = `(${COLS.map(() => '?').join(', ')})`;
  const stmts = new Map();
  const st = (n) => { let s = stmts.get(n); if (!s) stmts.set(n, (s = db.prepare(`INSERT OR FAIL INTO sends (${COLS.join(', ')}) VALUES ${Array(n).fill(tuple).join(', ')} ON CONFLICT (idempotency_key) DO NOTHING`))); return s; };
  const begin = db.prepare('BEGIN IMMEDIATE'), commit = db.prepare('COMMIT');
  const c0 = oncpu();
  for (let i = 0; i < rows.length; i += 876) {
    begin.run();
    const tx = rows.slice(i, i + 876);
    for (let j = 0; j < tx.length; j += 50) { const part = tx.slice(j, j + 50); st(part.length).run(part.flat()); }
    commit.run();
  }
  const us = (oncpu() - c0) / 1000 / rows.length;
  (res[v] ??= []).push(us.toFixed(2));
  db.close(); rmSync(f, { force: true }); rmSync(f + '-wal', { force: true }); rmSync(f + '-shm', { force: true });
}
console.log(`${rows.length} rows; µs a row (thread CPU), reps:`);
for (const [v, a] of Object.entries(res)) console.log(v.padEnd(28), a.join(' '));
