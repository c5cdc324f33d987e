process.env.REKINDLE_QUIET = '1';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestApp, type TestApp } from '../support/http-app.js';
import { fixedClock } from '../../server/src/core/clock.js';
import { freshTarget } from '../support/databases.js';
import { cli } from '../support/cli.js';
import { tempDir } from '../support/temp-dirs.js';

/**
 * Walked on 4 Dec 2026: a shop owner posted the seller center's export (the GBK file the shop has)
 * to POST /api/import/orders and got five `required column "…" is missing` and the English column
 * list — nothing said that `rekindle import taobao` reads that very file. The refusal now says so
 * (nothing imported, as before), from the API and from `rekindle import orders|customers`.
 */
const EXPORT = join('tests', 'fixtures', 'taobao', 'orders-export-gbk.csv');

describe('a Taobao seller-center export sent to the orders or customers import', () => {
  let app: TestApp;
  let db: string;
  let drop: () => Promise<void>;
  const rules = tempDir('rekindle-rules-taobao-hint-');
  beforeAll(async () => {
    const t = await freshTarget('sqlite', { migrated: true });
    db = t.target.url;
    drop = t.drop;
    app = await createTestApp({ database: t.target, rulesDir: rules, clock: fixedClock(Date.parse('2026-12-04T12:00:00Z')), schedulers: false });
  });
  afterAll(async () => {
    await app?.close();
    await drop?.();
  });

  it('is refused over REST naming the importer that reads it, and nothing is imported', async () => {
    const r = await app.http('admin').post('/api/import/orders').set('Content-Type', 'text/csv').send(readFileSync(EXPORT)).expect(400);
    expect(r.body.message).toBe('orders.csv: this is a Taobao/Tmall seller-center order export (订单编号, 买家会员名, …), not Rekindle\'s orders CSV: import it with `rekindle import taobao <file>` or POST /api/import/taobao (the designer\'s 客户 page for admins), which reads its Chinese columns and creates the buyers and their orders; nothing was imported');
    expect((await app.http('admin').get('/api/customers')).body.total).toBe(0);
  });

  it('is refused by rekindle import orders and customers the same way', async () => {
    for (const kind of ['orders', 'customers']) {
      const r = await cli(['--db', db, '--rules', rules, 'import', kind, EXPORT]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`this is a Taobao/Tmall seller-center order export (订单编号, 买家会员名, …), not Rekindle's ${kind} CSV: import it with \`rekindle import taobao <file>\``);
    }
  });
});
