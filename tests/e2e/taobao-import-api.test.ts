/**
 * `POST /api/import/taobao`: the seller-center order export as downloaded (GBK bytes), imported
 * through the server as `rekindle import taobao` does — it was the CLI's only, so a shop owner
 * without a terminal could not bring their shop in. Admins and import tokens only.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import iconv from 'iconv-lite';
import { VirtualClock } from '../../server/src/core/clock.js';
import { freshTarget } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/http-app.js';
import { tempDir } from '../support/temp-dirs.js';
import { cpSync } from 'node:fs';

process.env.REKINDLE_QUIET = '1';
const FIXTURE = readFileSync(join(process.cwd(), 'tests/fixtures/taobao/orders-export-gbk.csv'));
const NOW = Date.parse('2026-11-20T02:00:00Z');

describe('POST /api/import/taobao', () => {
  let api: TestApp;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const rules = tempDir('rekindle-taobao-api-');
    cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });
    const t = await freshTarget('sqlite', { migrated: true });
    drop = t.drop;
    api = await createTestApp({ database: t.target, rulesDir: rules, clock: new VirtualClock(NOW), schedulers: false });
  });
  afterAll(async () => {
    await api?.close();
    await drop?.();
  });

  it('refuses anonymous callers, analysts and marketers, importing nothing', async () => {
    await api.http('anonymous').post('/api/import/taobao').set('Content-Type', 'text/csv').send(FIXTURE).expect(401);
    await api.http('analyst').post('/api/import/taobao').set('Content-Type', 'text/csv').send(FIXTURE).expect(403);
    await api.http('marketer').post('/api/import/taobao').set('Content-Type', 'text/csv').send(FIXTURE).expect(403);
    expect((await api.http().get('/api/customers?search=小红帽').expect(200)).body.items).toEqual([]);
  });

  it('imports the GBK export for an admin: customers, orders, and the row without a buyer named by its line', async () => {
    const r = await api.http().post('/api/import/taobao').set('Content-Type', 'text/csv').send(FIXTURE).expect(200);
    expect(r.body.encoding).toBe('gb18030');
    expect(r.body.errors).toEqual([{ line: 7, field: '买家会员名', message: 'required' }]);
    expect(r.body.customers).toMatchObject({ created: 3, failed: 0 });
    expect(r.body.orders).toMatchObject({ created: 5, failed: 0 });
    const found = (await api.http().get('/api/customers?search=小红帽2020').expect(200)).body.items;
    expect(found).toEqual([expect.objectContaining({ externalId: '小红帽2020', name: '王芳' })]);
    // The same file again changes nothing.
    const again = await api.http().post('/api/import/taobao').set('Content-Type', 'application/octet-stream').send(FIXTURE).expect(200);
    expect(again.body.orders).toMatchObject({ created: 0, unchanged: 5 });
    const audit = JSON.stringify((await api.http().get('/api/audit?action=imported').expect(200)).body);
    expect(audit).toContain('import:taobao');
  });

  it("names an erased buyer's row by its line in the export (it named the buyer's place in the list of buyers)", async () => {
    await api.http().delete(`/api/customers/${encodeURIComponent('广西阿妹')}`).expect(200);
    await api.http().post(`/api/recycle-bin/${encodeURIComponent('广西阿妹')}/erase`).expect(200);
    const r = await api.http().post('/api/import/taobao').set('Content-Type', 'text/csv').send(FIXTURE).expect(200);
    expect(r.body.errors).toEqual([
      { line: 6, field: 'externalId', message: expect.stringMatching(/^customer "广西阿妹" had their personal data erased on /) },
      { line: 7, field: '买家会员名', message: 'required' },
    ]);
    // A new order of hers in a later export is refused with her, said once on its line (not again as an order).
    const later = iconv.decode(FIXTURE, 'gb18030').replace(/\r?\n$/, '') + '\r\n"=""2026112012345099""",广西阿妹,88.00,交易成功,韦丽,广西壮族自治区 南宁市 青秀区 民族大道8号,13700003333,2026-11-19 12:00:00,2026-11-19 12:01:00,高腰阔腿裤,,1,,\r\n';
    const more = await api.http().post('/api/import/taobao').set('Content-Type', 'text/csv').send(iconv.encode(later, 'gb18030')).expect(200);
    expect(more.body.errors).toEqual([
      { line: 7, field: '买家会员名', message: 'required' },
      { line: 8, field: 'externalId', message: expect.stringMatching(/^customer "广西阿妹" had their personal data erased on /) },
    ]);
    expect(more.body.orders).toMatchObject({ created: 0, failed: 1 });
  });

  it('refuses a file that is no Taobao export, or one sent as JSON, naming why and importing nothing', async () => {
    const other = iconv.encode('externalId,name\nc1,王芳\n', 'gb18030');
    const r = await api.http().post('/api/import/taobao').set('Content-Type', 'text/csv').send(other).expect(400);
    expect(r.body.message).toMatch(/^taobao\.csv: not a Taobao order export: missing column\(s\) 订单编号, 买家会员名, .*; nothing was imported$/);
    const json = await api.http().post('/api/import/taobao').send({ file: 'x' }).expect(400);
    expect(json.body.message).toMatch(/^body: send the export file as it was downloaded/);
  });
});
