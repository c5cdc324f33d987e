// same-outcome-hash.mjs WORKTREE OUT.sqlite (built dist/): customers, a dirty first orders file (settled in place), then a large
// clean one that pauses the indexes (parser, checkpointer and settle threads as the CLI); fixed clock; every table hashed row by row, sqlite_master, integrity_check. Diff two worktrees' outputs.
import { createReadStream, createWriteStream, statSync, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
const [WT, OUT] = process.argv.slice(2);
for (const s of ['', '-wal', '-shm']) rmSync(OUT + s, { force: true });
const d = (p) => import(join(WT, 'dist', p));
const { fixedClock } = await d('server/src/core/clock.js');
const { openDatabase } = await d('server/src/persistence/data-source.js');
const { importRows } = await d('server/src/persistence/importer.js');
const { startImportCheckpointer } = await d('server/src/runtime/import-checkpointer.js');
const { startImportSettleAhead } = await d('server/src/runtime/import-settle-ahead.js');
const { threadRowParser } = await d('server/src/runtime/import-parser.js');
const { mulberry32 } = await d('bench/support/mulberry32.js');
const dir = mkdtempSync(join(tmpdir(), 'import-hash-'));
const C = 60000, rnd = mulberry32(7), base = Date.parse('2024-01-01T00:00:00Z');
const CAT = ['dress', 'tops', 'shoes', 'bags', 'beauty', 'kids'], SEA = ['spring', 'summer', 'autumn', 'winter'];
async function writeLines(file, header, n, line) { const out = createWriteStream(file); out.write(header + '\n'); for (let i = 0; i < n; i++) if (!out.write(line(i) + '\n')) await once(out, 'drain'); out.end(); await once(out, 'finish'); }
const order = (prefix, dirty) => (i) => {
  const created = base + Math.floor(rnd() * 700 * 86_400_000), paid = rnd() < 0.9, amount = (20 + Math.floor(rnd() * 500)).toFixed(2);
  const id = dirty && rnd() < 0.02 ? `${prefix}${Math.floor(rnd() * Math.max(1, i))}` : `${prefix}${i}`;
  const cust = dirty && rnd() < 0.01 ? `nobody${i}` : `c${Math.floor(rnd() * C)}`;
  if (rnd() < 0.01) return `${id},${cust},paid,notanumber,${created},,,x`;
  const items = rnd() < 0.3 ? `sku-${i % 97}:${CAT[i % 6]}:${SEA[i % 4]}:1:${amount}|sku-${i % 89}:${CAT[(i + 1) % 6]}:${SEA[(i + 2) % 4]}:2:${amount}` : `sku-${i % 997}:${CAT[Math.floor(rnd() * 6)]}:${SEA[Math.floor(rnd() * 4)]}:1:${amount}`;
  return `${id},${cust},${paid ? 'paid' : 'created'},${amount},${created},${paid ? created + 600_000 : ''},${rnd() < 0.1 ? 'double11' : ''},${items}`;
};
const cc = join(dir, 'c.csv'), oa = join(dir, 'a.csv'), ob = join(dir, 'b.csv');
const H = 'externalId,customerExternalId,status,amount,createdAt,paidAt,promotion,items';
await writeLines(cc, 'externalId,name,province,device,consent_sms', C, (i) => `c${i},客户${i},浙江,${i % 3 ? 'mobile' : 'pc'},${i % 2 ? 'true' : 'false'}`);
await writeLines(oa, H, 60000, order('a', true));
await writeLines(ob, H, 300000, order('b', false));
const ds = await openDatabase({ url: OUT });
const TZ = 'Asia/Shanghai', clock = fixedClock(Date.parse('2026-12-03T00:00:00Z'));
const opts = (f) => ({ kind: 'orders', format: 'csv', source: createReadStream(f), file: f, timezone: TZ, clock, batchSize: 25000, parser: threadRowParser(25000) ?? undefined, offThreadCheckpoints: startImportCheckpointer, settleAhead: (a, b) => startImportSettleAhead(a, b), fileBytes: statSync(f).size, onStage: (s) => console.log('stage', s) });
await importRows(ds, { kind: 'customers', format: 'csv', source: createReadStream(cc), file: 'c.csv', timezone: TZ, clock, batchSize: 25000 });
const ra = await importRows(ds, opts(oa)); const rb = await importRows(ds, opts(ob));
console.log('a', ra.created, ra.failed, 'b', rb.created, rb.failed);
await ds.destroy();
const Database = createRequire(join(WT, 'package.json'))('better-sqlite3');
const db = new Database(OUT, { readonly: true });
console.log('integrity', db.prepare('PRAGMA integrity_check').get());
for (const { name } of db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all()) {
  const h = createHash('sha256'); let n = 0;
  for (const r of db.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).raw().iterate()) { h.update(JSON.stringify(r)); n++; }
  if (n) console.log(name, n, h.digest('hex').slice(0, 16));
}
const h = createHash('sha256'); for (const r of db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name').raw().all()) h.update(JSON.stringify(r));
console.log('sqlite_master', h.digest('hex').slice(0, 16));
rmSync(dir, { recursive: true, force: true });
