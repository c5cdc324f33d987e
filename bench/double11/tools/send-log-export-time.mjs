// node send-log-export-time.mjs <worktree> <simulated shop.sqlite>: the Double-11 flow's send log rows (sendLogRows) timed alone, with the page query's plan.
const [root, db] = process.argv.slice(2);
const D = (p) => import(`${root}/dist/${p}`);
process.chdir(root);
const { openDatabase } = await D('server/src/persistence/data-source.js');
const { sendLogRows, sendLogPageQuery } = await D('server/src/persistence/send-log.js');
const ds = await openDatabase({ url: db });
const { sql } = sendLogPageQuery(ds, { flowId: 'double11-campaign' });
const plan = await ds.query('EXPLAIN QUERY PLAN ' + sql, [0, 'double11-campaign']);
console.log(plan.map((r) => r.detail).join('\n'));
const c0 = process.cpuUsage(); const t0 = performance.now(); let n = 0;
for await (const r of sendLogRows(ds, { flowId: 'double11-campaign' })) { JSON.stringify(r); n++; }
const c = process.cpuUsage(c0);
console.log(JSON.stringify({ rows: n, wallS: (performance.now() - t0) / 1000, cpuS: (c.user + c.system) / 1e6 }));
await ds.destroy();
