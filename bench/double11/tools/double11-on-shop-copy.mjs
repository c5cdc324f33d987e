// Shared by the Double-11 diagnosis tools (sim-on-shop-copy.mjs, cost-by-tick-class.mjs): bench/double11's flow published on
// a scratch copy of a shop made by generate-shop-file.mjs, and the copy's tables hashed to compare two worktrees' outcomes.
import { copyFileSync, mkdtempSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Opens a copy of `shop` with `root`'s built code (cwd becomes `root`), publishes the worked Double-11 flow with its group
 * limits scaled to `customers` as bench/double11 does, and returns what a simulation of it needs. `tune(ds)` runs before the
 * runtime is made (pragmas under test).
 */
export async function openDouble11OnShopCopy({ root, shop, customers, prefix, tune }) {
  const D = (p) => import(`${root}/dist/${p}`);
  process.chdir(root);
  const { MS_PER_DAY, MS_PER_HOUR, VirtualClock } = await D('server/src/core/clock.js');
  const { simulate } = await D('server/src/core/engine/simulation.js');
  const { openWorkspace } = await D('server/src/config/workspace.js');
  const { openDatabase } = await D('server/src/persistence/data-source.js');
  const { StoredEventReplay } = await D('server/src/persistence/event-replay.js');
  const { widenWalForSimulation } = await D('server/src/persistence/simulation-wal.js');
  const { createEngineRuntime } = await D('server/src/runtime/engine-runtime.js');
  const { loadValidFlow } = await D('server/src/runtime/flow-files.js');
  const groupMax = customers >= 300_000 ? 30_000 : Math.max(1, Math.round((30_000 * customers) / 300_000));
  const ws = openWorkspace('rules');
  const from = Date.parse('2026-10-27T00:00:00+08:00');
  const to = from + 25 * MS_PER_DAY;
  const dir = mkdtempSync(join(tmpdir(), prefix));
  copyFileSync(shop, join(dir, 'shop.sqlite'));
  let ds;
  if (process.env.MEMDB === 'gen') {
    // Ceiling experiment: the shop generated straight into a :memory: database (pages live in the page cache only).
    const { generateDemoShop } = await D('server/src/core/seed/generate-shop.js');
    const { bulkWriteShop } = await D('server/src/persistence/bulk-writer.js');
    ds = await openDatabase({ url: ':memory:' });
    const t = performance.now();
    await bulkWriteShop(ds, generateDemoShop({ customers, seed: 11, now: from, timezone: ws.shop.timezone }), { timezone: ws.shop.timezone, now: from });
    console.log('MEMDB generated in', Math.round(performance.now() - t), 'ms', JSON.stringify(await ds.query('PRAGMA journal_mode')));
  } else {
    ds = await openDatabase({ url: join(dir, 'shop.sqlite') });
    await widenWalForSimulation(ds);
  }
  await tune?.(ds);
  const clock = new VirtualClock(from);
  const rt = createEngineRuntime(ds, ws, clock, { switchThread: !['0', 'off'].includes(process.env.REKINDLE_SWITCH_THREAD ?? ''), ...(process.env.BATCH ? { batchSize: Number(process.env.BATCH) } : {}) });
  const { flow } = loadValidFlow(ws.rulesDir, 'tests/fixtures/double11-2026/double11-campaign.flow.yaml', rt.rules);
  const entry = flow.nodes.find((x) => x.type === 'entry');
  if (entry.limit) entry.limit.max = groupMax;
  for (const x of flow.nodes) if (x.type === 'limit' && x.max === 30_000) x.max = groupMax;
  await rt.flows.publish(flow, 'bench', from);
  return { ds, rt, clock, dir, from, to, MS_PER_HOUR, simulate, replay: new StoredEventReplay(ds) };
}

/** Every table's rows with their storage types, one line a table; random values masked (link tokens, coupon codes and what holds them). */
export async function tableHashLines(ds) {
  const q = (s) => ds.query(s);
  const tables = (await q("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")).map((r) => r.name);
  const mask = new Set(['link_token', 'link_url', 'body', 'subject', 'coupon_code', 'code', 'without_coupon', 'token', 'properties']);
  const out = [];
  for (const t of tables) {
    const cols = (await q(`PRAGMA table_info("${t}")`)).map((c) => c.name);
    const sel = cols.map((c) => (mask.has(c) ? `length("${c}")` : `"${c}", typeof("${c}")`)).join(', ');
    const h = createHash('sha256');
    let rows = 0;
    for (const r of await q(`SELECT ${sel} FROM "${t}" ORDER BY 1`)) {
      h.update(JSON.stringify(Object.values(r)));
      rows++;
    }
    out.push(`${t} ${rows} ${h.digest('hex').slice(0, 16)}`);
  }
  return out;
}
