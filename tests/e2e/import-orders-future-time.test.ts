/**
 * Bulk imports of orders apply the rule of `POST /api/orders` (466d117): a createdAt or paidAt
 * more than 1 day ahead of the clock is refused. Before, `POST /api/import/orders` and `rekindle
 * import orders` stored an order stamped years ahead (its customer's lastUnpaidAt years away, its
 * events ahead of everything). As for any bad row of an import: the row is refused whole, named by
 * file, line and field, and the other rows are imported.
 */
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { MS_PER_HOUR, VirtualClock } from '../../server/src/core/clock.js';
import { parseRows, type ParsedRow } from '../../server/src/core/data/import/parsed-rows.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { threadRowParser } from '../../server/src/runtime/import-parser.js';
import { cli } from '../support/cli.js';
import { freshTarget } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/http-app.js';
import { tempDir } from '../support/temp-dirs.js';

process.env.REKINDLE_QUIET = '1';
const DAY = 24 * MS_PER_HOUR;
/** The server's clock in the HTTP cases: days behind the real one, so the route is seen to use the shop's clock. */
const NOW = Date.parse('2026-11-01T10:00:00+08:00');
const HEADER = 'externalId,customerExternalId,status,amount,createdAt,paidAt,promotion,items';
const iso = (ms: number) => new Date(ms).toISOString();
const orderIds = async (ds: DataSource) => (await queryRows(ds, 'SELECT external_id FROM orders ORDER BY external_id')).map((r) => String(r.external_id));
const eventKeys = async (ds: DataSource) => (await queryRows(ds, "SELECT properties FROM customer_events WHERE type IN ('order_created', 'order_paid')")).map((r) => (typeof r.properties === 'string' ? JSON.parse(r.properties) : r.properties).orderId as string);

describe('order imports refuse times more than 1 day ahead of the clock', () => {
  let t: TestApp;
  let drop: () => Promise<void>;
  let ds: DataSource;
  let db: string;
  const rules = tempDir('rekindle-future-orders-rules-');
  const dir = tempDir('rekindle-future-orders-');

  beforeAll(async () => {
    const target = await freshTarget('sqlite', { migrated: true });
    drop = target.drop;
    db = target.target.url;
    for (const d of ['segments', 'flows']) mkdirSync(join(rules, d));
    cpSync('rules/shop.yaml', join(rules, 'shop.yaml'));
    t = await createTestApp({ database: target.target, rulesDir: rules, clock: new VirtualClock(NOW), schedulers: false });
    ds = t.app.get(DataSource);
    await t.http().post('/api/import/customers').set('Content-Type', 'text/csv').send('externalId,name\nc1,Li\nc2,Wang\n').expect(200);
  });
  afterAll(async () => {
    await t?.close();
    await drop?.();
  });

  it('POST /api/import/orders (CSV) refuses each row with a time more than 1 day ahead, naming line and field; 20 hours ahead is still taken', async () => {
    const csv = [
      HEADER,
      `a-ok,c1,paid,100,${iso(NOW - MS_PER_HOUR)},${iso(NOW - MS_PER_HOUR / 2)},,`,
      `a-created,c1,created,100,${iso(NOW + 2 * DAY)},,,`,
      `a-paid,c2,paid,100,${iso(NOW - DAY)},2029-11-11T10:00:00+08:00,,`,
      `a-near,c2,created,50,${iso(NOW + 20 * MS_PER_HOUR)},,,`,
    ].join('\n');
    const r = await t.http().post('/api/import/orders').set('Content-Type', 'text/csv').send(csv).expect(200);
    expect(r.body).toMatchObject({ rows: 4, created: 2, failed: 2 });
    expect(r.body.errors).toEqual([
      { line: 3, field: 'createdAt', message: `more than 1 day ahead of the server clock (${iso(NOW + 2 * DAY)}, server time ${iso(NOW)}): send the time the order was placed or paid, with its offset` },
      { line: 4, field: 'paidAt', message: expect.stringMatching(/^more than 1 day ahead of the server clock \(2029-11-11T02:00:00\.000Z, server time /) },
    ]);
    // Nothing of a refused row is written: no order, no order event.
    expect(await orderIds(ds)).toEqual(['a-near', 'a-ok']);
    const keys = await eventKeys(ds);
    expect(keys).toEqual(expect.arrayContaining(['a-near', 'a-ok']));
    expect(keys.filter((k) => k === 'a-created' || k === 'a-paid')).toEqual([]);
  });

  it('POST /api/import/orders (NDJSON) names the line and field the same way', async () => {
    const body = [
      { externalId: 'n-ok', customerExternalId: 'c1', status: 'created', amount: 10, createdAt: iso(NOW - DAY) },
      { externalId: 'n-ahead', customerExternalId: 'c1', status: 'paid', amount: 10, createdAt: iso(NOW + 3 * DAY), paidAt: iso(NOW + 3 * DAY) },
    ].map((x) => JSON.stringify(x)).join('\n') + '\n';
    const r = await t.http().post('/api/import/orders').set('Content-Type', 'application/x-ndjson').send(body).expect(200);
    expect(r.body).toMatchObject({ rows: 2, created: 1, failed: 1 });
    expect(r.body.errors.map((e: { line: number; field: string }) => `${e.line}:${e.field}`)).toEqual(['2:createdAt', '2:paidAt']);
    expect(await orderIds(ds)).not.toContain('n-ahead');
  });

  it('rekindle import orders prints file:line: field: why for the row, imports the others and exits 1', async () => {
    const now = Date.now();
    const file = join(dir, 'orders.csv');
    writeFileSync(file, [HEADER, `cli-ok,c1,paid,88,${iso(now - DAY)},${iso(now - DAY)},,`, `cli-ahead,c2,created,88,${iso(now + 2 * DAY)},,,`].join('\n') + '\n');
    const res = await cli(['--db', db, '--rules', rules, 'import', 'orders', file]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:3: createdAt: more than 1 day ahead of the server clock \\(${iso(now + 2 * DAY).replace(/\./g, '\\.')}, server time `, 'm'));
    expect(res.stderr).not.toMatch(/\n\s+at /);
    expect(await orderIds(ds)).toContain('cli-ok');
    expect(await orderIds(ds)).not.toContain('cli-ahead');
  });

  it('the parser thread (the built code: the server, large files) refuses the same rows', async () => {
    const parser = threadRowParser(10, new URL('../../dist/server/src/runtime/import-parse-thread.js', import.meta.url));
    if (!parser) throw new Error('dist/ is not built: run `npx tsc -p tsconfig.build.json` first');
    const text = [HEADER, `t-ok,c1,paid,1,${iso(NOW)},${iso(NOW)},,`, `t-ahead,c1,paid,1,${iso(NOW)},${iso(NOW + 2 * DAY)},,`].join('\n');
    const collect = async (blocks: AsyncIterable<ParsedRow[]>) => {
      const out: ParsedRow[] = [];
      for await (const b of blocks) out.push(...b);
      return out;
    };
    const opts = { timezone: 'Asia/Shanghai', now: NOW };
    const inThread = await collect(parser('orders', 'csv', [Buffer.from(text)], opts));
    expect(inThread).toEqual(await collect(parseRows('orders', 'csv', [Buffer.from(text)], opts)));
    expect(inThread.map((r) => r.issues?.map((i) => `${r.line}:${i.field}`) ?? [])).toEqual([[], ['3:paidAt']]);
  });
});
