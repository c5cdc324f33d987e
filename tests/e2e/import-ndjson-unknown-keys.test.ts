/**
 * An NDJSON import (the shape of the REST bodies) with a key no row has: before, zod dropped it
 * silently — `{"externalId":"c2","phoen":"13800000002"}` created the customer without a phone (every
 * SMS to them then held back for no address) behind a 200 saying nothing was ignored. Now the line
 * is refused naming the key and the field meant; the other lines are imported.
 */
import { mkdirSync, cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { VirtualClock } from '../../server/src/core/clock.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { freshTarget } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/http-app.js';
import { tempDir } from '../support/temp-dirs.js';

process.env.REKINDLE_QUIET = '1';
const NOW = Date.parse('2026-12-01T10:00:00+08:00');

describe('POST /api/import/* with NDJSON keys no row has', () => {
  let t: TestApp;
  let drop: () => Promise<void>;
  let ds: DataSource;
  const ndjson = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

  beforeAll(async () => {
    const target = await freshTarget('sqlite');
    drop = target.drop;
    const rulesDir = tempDir('rekindle-ndjson-rules-');
    for (const d of ['segments', 'flows']) mkdirSync(join(rulesDir, d));
    cpSync('rules/shop.yaml', join(rulesDir, 'shop.yaml'));
    t = await createTestApp({ database: target.target, rulesDir, clock: new VirtualClock(NOW), schedulers: false });
    ds = t.app.get(DataSource);
  });
  afterAll(async () => {
    await t?.close();
    await drop?.();
  });

  it('refuses a customer line with a misspelt key, naming line, key and the field meant; imports the others', async () => {
    const body = ndjson([
      { externalId: 'c1', phone: '13800000001', consent: { sms: true } },
      { externalId: 'c2', phoen: '13800000002', consent: { sms: true } },
      { externalId: 'c3', name: '李', wechat_id: 'li-3' },
    ]);
    const r = await t.http().post('/api/import/customers').set('Content-Type', 'application/x-ndjson').send(body).expect(200);
    expect(r.body).toMatchObject({ rows: 3, created: 1, failed: 2 });
    expect(r.body.errors).toEqual([
      { line: 2, field: 'phoen', message: 'unknown field; did you mean phone?' },
      { line: 3, field: 'wechat_id', message: 'unknown field; did you mean wechatId?' },
    ]);
    expect((await queryRows(ds, 'SELECT external_id FROM customers ORDER BY external_id', [])).map((x) => x.external_id)).toEqual(['c1']);
  });

  it('refuses order and event lines the same way (an item key too)', async () => {
    const orders = ndjson([
      { externalId: 'o1', customerExternalId: 'c1', status: 'created', amount: 10, createdAt: '2026-11-30T10:00:00+08:00' },
      { externalId: 'o2', customerExternalId: 'c1', status: 'created', amount: 10, createdAt: '2026-11-30T10:00:00+08:00', promoton: 'double11' },
      { externalId: 'o3', customerExternalId: 'c1', status: 'created', amount: 10, createdAt: '2026-11-30T10:00:00+08:00', items: [{ sku: 'a', category: 'dress', qty: 2 }] },
    ]);
    const o = await t.http().post('/api/import/orders').set('Content-Type', 'application/x-ndjson').send(orders).expect(200);
    expect(o.body).toMatchObject({ rows: 3, created: 1, failed: 2 });
    expect(o.body.errors.map((e: { line: number; field: string }) => [e.line, e.field])).toEqual([
      [2, 'promoton'],
      [3, 'items.0.qty'],
    ]);
    expect(o.body.errors[0].message).toBe('unknown field; did you mean promotion?');
    const events = ndjson([
      { type: 'wechat_reply', customerExternalId: 'c1', occurredAt: '2026-11-30T10:00:00+08:00', idempotencyKey: 'e1' },
      { type: 'wechat_reply', customerExternalId: 'c1', occurredAt: '2026-11-30T10:00:00+08:00', idempotencyKey: 'e2', propertes: { text: 'hi' } },
    ]);
    const e = await t.http().post('/api/import/events').set('Content-Type', 'application/x-ndjson').send(events).expect(200);
    expect(e.body.errors).toEqual([{ line: 2, field: 'propertes', message: 'unknown field; did you mean properties?' }]);
  });
});
