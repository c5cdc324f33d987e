/**
 * Segment bench: on a shop of N customers (default 1,000,000) and a 5-condition rule, times
 *   - the compiled SQL path (count, and ids), chunked as the server runs it,
 *   - json-rules-engine per customer (the fallback path),
 *   - a hand-written SQL query of the same condition (the baseline),
 * and prints the ratios. `npm run build && npm run bench:segment -- --customers 200000`.
 * Options: --customers N, --db <sqlite file> (reuse a shop; generated rows are added if short),
 * --skip-engine (the engine pass takes ~30–60 s on 1M customers).
 */
import 'reflect-metadata';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { checkConditions } from '../../server/src/core/rules/rule-file.js';
import { RuleSet } from '../../server/src/core/rules/rule-set.js';
import { compileRule } from '../../server/src/core/rules/sql-compiler.js';
import { runSegment } from '../../server/src/core/segment/segmenter.js';
import { defaultShopConfig } from '../../server/src/core/shop-config.js';
import { encodeList } from '../../server/src/persistence/columns.js';
import { openDatabase } from '../../server/src/persistence/data-source.js';
import { SqlSegmentStore } from '../../server/src/persistence/segment-store.js';
import { prng, randomStoredFacts } from './facts-generator.js';

const AT = Date.parse('2026-11-20T00:00:00+08:00');
const SHOP = defaultShopConfig;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
}

const COLUMNS = [
  'customer_id', 'order_count', 'total_spent', 'first_order_at', 'last_order_at', 'unpaid_order_count', 'last_unpaid_at',
  'categories', 'category_seasons', 'double11_years', 'province', 'city', 'device', 'tags',
  'consent_sms', 'consent_email', 'consent_wechat', 'consent_wangwang', 'consent_push', 'updated_at',
];

/** Adds generated fact rows up to `n` through the raw better-sqlite3 handle (multi-row inserts). */
function fill(ds: DataSource, n: number): void {
  const db = (ds.driver as unknown as { databaseConnection: { prepare(s: string): { run(...p: unknown[]): unknown; get(): unknown }; transaction(fn: () => void): () => void } }).databaseConnection;
  const have = Number((db.prepare('SELECT COUNT(*) AS n FROM customer_facts').get() as { n: number }).n);
  if (have >= n) return;
  const started = performance.now();
  const r = prng(424242 + have);
  const BATCH = 500;
  const stmt = db.prepare(`INSERT INTO customer_facts (${COLUMNS.join(', ')}) VALUES ${Array(BATCH).fill(`(${COLUMNS.map(() => '?').join(', ')})`).join(', ')}`);
  const b = (v: boolean | null) => (v === null ? null : v ? 1 : 0);
  db.transaction(() => {
    for (let id = have + 1; id <= n; id += BATCH) {
      const params: unknown[] = [];
      for (let k = 0; k < BATCH; k++) {
        const f = randomStoredFacts(r, id + k, AT);
        params.push(f.customerId, f.orderCount, f.totalSpent, f.firstOrderAt, f.lastOrderAt, f.unpaidOrderCount, f.lastUnpaidAt,
          encodeList(f.categories), encodeList(f.categorySeasons), encodeList(f.double11Years), f.province, f.city, f.device, encodeList(f.tags),
          b(f.consentSms), b(f.consentEmail), b(f.consentWechat), b(f.consentWangwang), b(f.consentPush), AT);
      }
      stmt.run(...params); // rows past n are harmless extra customers; keep batches whole
    }
  })();
  console.log(`generated ${n - have} customers in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

async function time<T>(fn: () => Promise<T> | T, runs = 3): Promise<{ ms: number; value: T }> {
  let best = Infinity;
  let value!: T;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    value = await fn();
    best = Math.min(best, performance.now() - t);
  }
  return { ms: best, value };
}

const ruleSet = (name: string, conditions: unknown) => {
  const c = checkConditions(conditions, name);
  return RuleSet.fromDefinitions([{ name, source: name, ...c }]);
};

async function main() {
  const n = Number(arg('customers') ?? 1_000_000);
  const file = arg('db') ?? join(mkdtempSync(join(tmpdir(), 'rekindle-bench-')), 'shop.sqlite');
  const ds = await openDatabase({ url: file });
  fill(ds, n);
  const rows = Number((await ds.query('SELECT COUNT(*) AS n FROM customer_facts'))[0].n);
  const raw = (ds.driver as unknown as { databaseConnection: { prepare(s: string): { pluck(): { get(...p: unknown[]): unknown; all(...p: unknown[]): unknown[] } } } }).databaseConnection;

  // Five conditions a marketer writes: sleeping-ish, repeat buyer, decent AOV, mobile, SMS consent.
  const five = ruleSet('bench-five', {
    all: [
      { fact: 'recencyDays', operator: 'greaterThanInclusive', value: 90 },
      { fact: 'orderCount', operator: 'greaterThanInclusive', value: 2 },
      { fact: 'aov', operator: 'greaterThanInclusive', value: 150 },
      { fact: 'device', operator: 'equal', value: 'mobile' },
      { fact: 'consentSms', operator: 'equal', value: true },
    ],
  });
  const handCount = `SELECT COUNT(*) FROM customer_facts WHERE last_order_at IS NOT NULL AND (${AT} - last_order_at) / 86400000 >= 90 AND order_count >= 2 AND total_spent / order_count >= 150 AND device = 'mobile' AND consent_sms = 1`;
  const opts = { at: AT, timezone: SHOP.timezone, lifecycle: SHOP.lifecycle };
  const store = new SqlSegmentStore(ds);

  const hand = await time(() => raw.prepare(handCount).pluck().get() as number);
  const sqlCount = await time(() => runSegment(store, five, 'bench-five', { ...opts, evaluator: 'sql' }));
  const sqlIds = await time(() => runSegment(store, five, 'bench-five', { ...opts, evaluator: 'sql', ids: true }));
  if (sqlCount.value.count !== hand.value) throw new Error(`compiled SQL counted ${sqlCount.value.count}, hand-written ${hand.value}`);

  // Ids of a segment holding every customer (the worst case for the ids path).
  const everyone = ruleSet('bench-everyone', { all: [{ fact: 'orderCount', operator: 'greaterThanInclusive', value: 0 }] });
  const allIds = await time(() => runSegment(store, everyone, 'bench-everyone', { ...opts, evaluator: 'sql', ids: true }));
  const handIds = await time(() => raw.prepare('SELECT customer_id FROM customer_facts WHERE order_count >= 0 ORDER BY customer_id').pluck().all().length);
  const compiled = compileRule(five, 'bench-five', { ...opts, dialect: store.dialect });

  let engine: { ms: number; value: { count: number } } | null = null;
  if (!process.argv.includes('--skip-engine')) {
    engine = await time(() => runSegment(store, five, 'bench-five', { ...opts, evaluator: 'engine' }), 1);
    if (engine.value.count !== hand.value) throw new Error(`json-rules-engine counted ${engine.value.count}, SQL ${hand.value}`);
  }

  const s = (ms: number) => `${(ms / 1000).toFixed(3)} s`;
  console.log(`\nsegment bench: ${rows.toLocaleString('en')} customers (${file}), rule of 5 conditions matching ${hand.value.toLocaleString('en')}`);
  console.log(`compiled WHERE: ${compiled.where}`);
  console.log(`hand-written SQL count            ${s(hand.ms)}`);
  console.log(`compiled SQL path, count          ${s(sqlCount.ms)}   ${(sqlCount.ms / hand.ms).toFixed(2)}× hand-written (target ≤ 1.5×)`);
  console.log(`compiled SQL path, count + ids    ${s(sqlIds.ms)}`);
  console.log(`ids of everyone (${allIds.value.count.toLocaleString('en')})      ${s(allIds.ms)}   (hand-written ${s(handIds.ms)}; target < 0.5 s)`);
  if (engine) console.log(`json-rules-engine per customer    ${s(engine.ms)}   SQL path is ${(engine.ms / sqlCount.ms).toFixed(0)}× faster (target ≥ 50×)`);
  await ds.destroy();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
