// node gen.mjs <worktree> <customers> <out.sqlite>: the bench's shop, generated once (same generator, seed 11).
const [root, n, out] = process.argv.slice(2);
const D = (p) => import(`${root}/dist/${p}`);
const { generateDemoShop } = await D('server/src/core/seed/generate-shop.js');
const { openWorkspace } = await D('server/src/config/workspace.js');
const { bulkWriteShop } = await D('server/src/persistence/bulk-writer.js');
const { openDatabase } = await D('server/src/persistence/data-source.js');
process.chdir(root);
const FROM = Date.parse('2026-10-27T00:00:00+08:00');
const ws = openWorkspace('rules'); const TZ = ws.shop.timezone;
const ds = await openDatabase({ url: out });
await bulkWriteShop(ds, generateDemoShop({ customers: Number(n), seed: 11, now: FROM, timezone: TZ }), { timezone: TZ, now: FROM });
await ds.query('PRAGMA wal_checkpoint(TRUNCATE)');
await ds.destroy();
console.log('ok', out);
