import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { VirtualClock } from '../../server/src/core/clock.js';
import { FlowSchema } from '../../server/src/core/flow/schema.js';
import { generateDemoShop } from '../../server/src/core/seed/generate-shop.js';
import { defaultShopConfig } from '../../server/src/core/shop-config.js';
import { BatchUnit } from '../../server/src/persistence/batch-unit.js';
import { bulkWriteShop } from '../../server/src/persistence/bulk-writer.js';
import { enrollOps } from '../../server/src/persistence/journey-store.js';
import { executeBatch, toPgPlaceholders } from '../../server/src/persistence/sql-batch.js';
import { createEngineRuntime, type EngineRuntime } from '../../server/src/runtime/engine-runtime.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';

/**
 * PostgreSQL plans of a worker's stepping batch must not depend on planner statistics: right after
 * a bulk enrollment (or on a server with autovacuum off) there are none, and a batch whose reads
 * went through the flow's index or a sequential scan read the whole campaign each time
 * (bench/workers: PostgreSQL's CPU a step grew with the table).
 */
const NOW = Date.parse('2026-11-03T02:00:00Z');
const CUSTOMERS = 6000;
const BATCH = 500;

interface PlanNode {
  'Node Type': string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  Plans?: PlanNode[];
}

/** Rows every scan node of a plan produced or threw away (index entries of bitmap scans included). */
function rowsScanned(n: PlanNode): number {
  const own = n['Node Type'].includes('Scan') && n['Node Type'] !== 'Function Scan' && n['Node Type'] !== 'Subquery Scan' ? ((n['Actual Rows'] ?? 0) + (n['Rows Removed by Filter'] ?? 0) + (n['Rows Removed by Index Recheck'] ?? 0)) * (n['Actual Loops'] ?? 1) : 0;
  return own + (n.Plans ?? []).reduce((s, c) => s + rowsScanned(c), 0);
}

async function explain(ds: DataSource, sql: string, params: unknown[]): Promise<number> {
  const q = ds.createQueryRunner();
  await q.connect();
  try {
    await q.startTransaction();
    const [row] = await q.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${toPgPlaceholders(sql)}`, params);
    return rowsScanned(row['QUERY PLAN'][0].Plan as PlanNode);
  } finally {
    await q.rollbackTransaction();
    await q.release();
  }
}

describe('a worker batch on PostgreSQL without planner statistics', () => {
  let db: TestDatabase;
  let rt: EngineRuntime;

  beforeAll(async () => {
    db = await openTestDatabase('postgres');
    const ds = db.dataSource;
    // The premise must not depend on the server's autovacuum (off here, on elsewhere): a visit
    // while the setup steps half the campaign would analyse the tables the test needs unanalysed.
    for (const t of ['enrollments', 'sends', 'split_assignments', 'journey_steps']) await ds.query(`ALTER TABLE "${t}" SET (autovacuum_enabled = false)`);
    await bulkWriteShop(ds, generateDemoShop({ customers: CUSTOMERS, seed: 3, now: NOW, timezone: defaultShopConfig.timezone }), { timezone: defaultShopConfig.timezone, now: NOW });
    await ds.query(`UPDATE customers SET email = COALESCE(email, 'x@example.com')`);
    rt = createEngineRuntime(ds, { rulesDir: 'rules', shop: defaultShopConfig }, new VirtualClock(NOW), { batchSize: BATCH });
    const flow = FlowSchema.parse({
      id: 'campaign',
      name: 'campaign',
      nodes: [
        { id: 'start', type: 'entry', trigger: { type: 'event', event: 'go' }, next: 'ab' },
        { id: 'ab', type: 'split', arms: [{ id: 'a', weight: 50, next: 'note' }, { id: 'b', weight: 50, next: 'note' }] },
        { id: 'note', type: 'send', channel: 'email', category: 'marketing', template: 'hello {{customer.name}}', next: 'done' },
        { id: 'done', type: 'exit' },
      ],
    });
    await rt.flows.publish(flow, 'test', NOW - 1);
    const [published] = (await rt.flows.published()).filter((f) => f.flowId === 'campaign');
    // The enrollments are written the way the store writes them, minus its ANALYZE: as a server
    // with autovacuum off (or lagging) leaves them, with no statistics at all.
    const ids: { id: number }[] = await ds.query('SELECT id FROM customers ORDER BY id');
    const entries = ids.map(({ id }) => ({ flowId: 'campaign', versionId: published.version.id, customerId: Number(id), journeyKey: '', nodeId: 'start', enteredAt: NOW, entryKey: `t:${id}` }));
    const { inserts, logs } = enrollOps(entries, NOW, () => ({ customerId: 0, flowId: 'campaign', versionId: published.version.id, nodeId: 'start', at: NOW, outcome: 'entered', detail: null }));
    await executeBatch(ds, [...inserts, ...logs]);
    // Half the campaign stepped already: sends and split assignments of the flow exist, unanalysed.
    const stepped: { id: number; customer_id: number }[] = await ds.query('SELECT id, customer_id FROM enrollments ORDER BY id LIMIT $1', [CUSTOMERS / 2]);
    for (let i = 0; i < stepped.length; i += BATCH)
      await rt.engine.stepper.stepStored(NOW, stepped.slice(i, i + BATCH).map((r) => ({ id: Number(r.id), customerId: Number(r.customer_id) })));
    const analysed = await ds.query(`SELECT relname FROM pg_stat_user_tables WHERE relname IN ('enrollments', 'sends', 'split_assignments') AND (last_analyze IS NOT NULL OR last_autoanalyze IS NOT NULL)`);
    expect(analysed).toEqual([]); // the premise: no statistics on the tables the batch reads by key
  }, 120_000);
  afterAll(async () => db?.close());

  it("reads only its own enrollments, sends and assignments (rows scanned per statement stay near the batch's size)", async () => {
    const ds = db.dataSource;
    const reads: { sql: string; params: unknown[] }[] = [];
    const original = BatchUnit.prototype.read;
    BatchUnit.prototype.read = function (this: BatchUnit, sql: string, params: unknown[] = []) {
      reads.push({ sql, params });
      return original.call(this, sql, params);
    } as typeof original;
    let result;
    try {
      const batch: { id: number; customer_id: number }[] = await ds.query('SELECT id, customer_id FROM enrollments ORDER BY id OFFSET $1 LIMIT $2', [CUSTOMERS / 2, BATCH]);
      result = await rt.engine.stepper.stepStored(NOW, batch.map((r) => ({ id: Number(r.id), customerId: Number(r.customer_id) })));
    } finally {
      BatchUnit.prototype.read = original;
    }
    expect(result.steps).toBeGreaterThanOrEqual(BATCH * 3);
    expect(result.sends).toBeGreaterThan(0);
    const tables = ['FROM enrollments', 'FROM sends', 'FROM split_assignments', 'FROM customers'];
    const keyed = reads.filter((r) => tables.some((t) => r.sql.includes(t)));
    expect(keyed.length).toBeGreaterThanOrEqual(4);
    const scanned = await Promise.all(keyed.map(async (r) => ({ sql: r.sql.replace(/\s+/g, ' ').slice(0, 90), rows: await explain(ds, r.sql, r.params) })));
    // A statement that walked the flow's enrollments, the sends or the node's assignments would
    // read thousands of rows (3,000 of each exist); by key it reads the batch's 500 (a few per key).
    expect(scanned.filter((s) => s.rows > BATCH * 4)).toEqual([]);
  });

  it('a campaign enrolled through the engine leaves planner statistics of its enrollments behind', async () => {
    const ds = db.dataSource;
    const flow = FlowSchema.parse({ id: 'second', name: 'second', nodes: [{ id: 'start', type: 'entry', trigger: { type: 'event', event: 'go2' }, next: 'done' }, { id: 'done', type: 'exit' }] });
    await rt.flows.publish(flow, 'test', NOW - 1);
    const [published] = (await rt.flows.published()).filter((f) => f.flowId === 'second');
    const ids: { id: number }[] = await ds.query('SELECT id FROM customers ORDER BY id');
    await rt.engine.enrollCustomers(published.version, ids.map(({ id }) => ({ customerId: Number(id), journeyKey: '', entryKey: `s:${id}` })), NOW, 'test');
    const [stats] = await ds.query(`SELECT reltuples FROM pg_class WHERE relname = 'enrollments' AND relnamespace = current_schema()::regnamespace`);
    expect(Number(stats.reltuples)).toBeGreaterThanOrEqual(CUSTOMERS * 2 * 0.9); // ANALYZE's estimate of the rows (-1: never analysed)
  });
});
