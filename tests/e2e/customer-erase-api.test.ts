/**
 * Erasing a customer's personal data through the real server and the CLI: only an admin may,
 * only for a customer in the recycle bin (409 naming the customer otherwise), and afterwards the
 * customer cannot be restored or re-imported under the same id (the import names the row), and
 * no event is stored under the id again (the API and an events file name the id and the date).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { VirtualClock } from '../../server/src/core/clock.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { DIALECTS, freshTarget } from '../support/databases.js';
import { cli } from '../support/cli.js';
import { createTestApp, type TestApp } from '../support/http-app.js';
import { tempDir } from '../support/temp-dirs.js';

process.env.REKINDLE_QUIET = '1';
const NOW = Date.parse('2027-03-01T02:00:00Z');
const CSV = 'externalId,name,phone,email,province,city\nc001,王芳,13800000001,wang@example.com,浙江,杭州\nc002,李雷,13800000002,li@example.com,江苏,南京\n';

function emptyRules(): string {
  const rulesDir = tempDir('rekindle-rules-');
  for (const d of ['segments', 'flows']) mkdirSync(join(rulesDir, d));
  return rulesDir;
}

describe('POST /api/recycle-bin/:id/erase', () => {
  let api: TestApp;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const t = await freshTarget('sqlite', { migrated: true });
    drop = t.drop;
    api = await createTestApp({ database: t.target, rulesDir: emptyRules(), clock: new VirtualClock(NOW), schedulers: false });
    await api.http().post('/api/import/customers').set('Content-Type', 'text/csv').send(CSV).expect(200);
  });
  afterAll(async () => {
    await api?.close();
    await drop?.();
  });

  it('refuses anonymous callers, analysts and marketers, even for a customer in the bin', async () => {
    await api.http().delete('/api/customers/c002').expect(200);
    await api.http('anonymous').post('/api/recycle-bin/c002/erase').expect(401);
    await api.http('analyst').post('/api/recycle-bin/c002/erase').expect(403);
    await api.http('marketer').post('/api/recycle-bin/c002/erase').expect(403);
    const bin = (await api.http().get('/api/recycle-bin').expect(200)).body.items;
    expect(bin).toEqual([expect.objectContaining({ externalId: 'c002', name: '李雷', erasedAt: null })]);
  });

  it('refuses to erase a live customer (409 naming them) or an unknown one (404)', async () => {
    const r = await api.http().post('/api/recycle-bin/c001/erase').expect(409);
    expect(r.body.message).toBe('customer "c001" is not in the recycle bin: move them there first (DELETE /api/customers/c001), then erase');
    await api.http().post('/api/recycle-bin/nobody/erase').expect(404);
    expect((await api.http().get('/api/customers/c001').expect(200)).body.customer).toMatchObject({ name: '王芳', phone: '13800000001' });
  });

  it('erases a binned customer for an admin, audits it, and the customer is gone for good', async () => {
    const r = await api.http().post('/api/recycle-bin/c002/erase').expect(200);
    expect(r.body).toMatchObject({ kind: 'erased', externalId: 'c002', erasedAt: NOW, again: false });
    const bin = (await api.http().get('/api/recycle-bin').expect(200)).body.items;
    expect(bin).toEqual([expect.objectContaining({ externalId: 'c002', name: null, phone: null, email: null, city: null, erasedAt: NOW })]);
    expect((await api.http().get('/api/customers/c002').expect(404)).body.message).toBe(`customer "c002" had their personal data erased at ${new Date(NOW).toISOString()}`);
    const restore = await api.http().post('/api/recycle-bin/c002/restore').expect(404);
    expect(restore.body.message).toContain('an erased customer cannot be restored');
    const audit = (await api.http().get('/api/audit?action=customer-erased').expect(200)).body;
    expect(JSON.stringify(audit)).toContain('customer:c002');
    expect(JSON.stringify(audit)).not.toContain('李雷');

    // The same file imported again: c002 is refused by name, c001 is unchanged, nothing resurrected.
    const again = await api.http().post('/api/import/customers').set('Content-Type', 'text/csv').send(CSV).expect(200);
    expect(JSON.stringify(again.body)).toContain('customer \\"c002\\" had their personal data erased on 2027-03-01');
    // An order feed that sends the buyer along is refused for the erased id, writing nothing.
    const order = { externalId: 'o-77', customerExternalId: 'c002', status: 'paid', amount: 99, createdAt: '2027-02-28T10:00:00+08:00', paidAt: '2027-02-28T10:05:00+08:00', items: [] };
    const refused = await api.http().post('/api/orders').send({ ...order, customer: { name: '李雷', phone: '13800000002' } }).expect(400);
    expect(refused.body.message).toMatch(/^customer\.externalId: customer "c002" had their personal data erased on 2027-03-01/);
    expect((await api.http().get('/api/recycle-bin').expect(200)).body.items).toEqual([expect.objectContaining({ externalId: 'c002', name: null, phone: null })]);
  });

  it('refuses an order for the erased id without its buyer too, from the feed and from an orders file, naming the id and the date', async () => {
    const ds = api.app.get(DataSource);
    const order = { externalId: 'o-78', customerExternalId: 'c002', status: 'paid', amount: 59, createdAt: '2027-02-28T11:00:00+08:00', paidAt: '2027-02-28T11:05:00+08:00', items: [] };
    const refused = await api.http().post('/api/orders').send(order).expect(400);
    // Not "send the buyer along": sending them is refused as well.
    expect(refused.body.message).toBe('customerExternalId: customer "c002" had their personal data erased on 2027-03-01 (PIPL erase request); nothing new is stored under this id — if the person came back, import them under a new id');
    const csv = 'externalId,customerExternalId,status,amount,createdAt,paidAt\no-79,c001,paid,20,2027-02-28T12:00:00+08:00,2027-02-28T12:01:00+08:00\no-80,c002,paid,30,2027-02-28T12:00:00+08:00,2027-02-28T12:01:00+08:00\n';
    const r = await api.http().post('/api/import/orders').set('Content-Type', 'text/csv').send(csv).expect(200);
    expect(r.body).toMatchObject({ created: 1, failed: 1, errors: [{ line: 3, field: 'customerExternalId', message: expect.stringContaining('customer "c002" had their personal data erased on 2027-03-01') }] });
    const rows = await queryRows<{ external_id: string }>(ds, 'SELECT o.external_id FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.external_id = ? ORDER BY o.external_id', ['c002']);
    expect(rows).toEqual([]);
    const events = await queryRows<{ n: number }>(ds, "SELECT COUNT(*) AS n FROM customer_events e JOIN customers c ON c.id = e.customer_id WHERE c.external_id = 'c002' AND e.type LIKE 'order%'");
    expect(Number(events[0].n)).toBe(0);
  });

  it("still takes a change to an order stored before the erase (a refund): the shop's figures need it", async () => {
    const ds = api.app.get(DataSource);
    const [{ id }] = await queryRows<{ id: number }>(ds, "SELECT id FROM customers WHERE external_id = 'c002'");
    const at = Date.parse('2027-02-20T10:00:00+08:00');
    await ds.query('INSERT INTO orders (external_id, customer_id, status, amount, created_at, paid_at, promotion, items, updated_at) VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?)', ['o-old', Number(id), 'paid', 120, at, at, '[]', at]);
    const refund = { externalId: 'o-old', customerExternalId: 'c002', status: 'refunded', amount: 120, createdAt: '2027-02-20T10:00:00+08:00', paidAt: '2027-02-20T10:00:00+08:00', items: [] };
    const r = await api.http().post('/api/orders').send(refund).expect(200);
    expect(r.body.outcome).toBe('updated');
    expect(await queryRows(ds, "SELECT status FROM orders WHERE external_id = 'o-old'")).toEqual([{ status: 'refunded' }]);
    // Moving another customer's order onto the erased id is new data under it: refused.
    await api.http().post('/api/orders').send({ ...refund, externalId: 'o-79' }).expect(400);
  });
});

describe.each(DIALECTS)('events for an erased customer, on %s', (dialect) => {
  let api: TestApp;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const t = await freshTarget(dialect, { migrated: true });
    drop = t.drop;
    api = await createTestApp({ database: t.target, rulesDir: emptyRules(), clock: new VirtualClock(NOW), schedulers: false });
    await api.http().post('/api/import/customers').set('Content-Type', 'text/csv').send(CSV).expect(200);
    await api.http().delete('/api/customers/c002').expect(200);
    await api.http().post('/api/recycle-bin/c002/erase').expect(200);
  });
  afterAll(async () => {
    await api?.close();
    await drop?.();
  });

  const event = (customerExternalId: string, key: string) => ({ type: 'page_view', customerExternalId, occurredAt: '2027-03-01T09:00:00+08:00', idempotencyKey: key, properties: { page: '/sale' } });
  const erasedWords = 'customer "c002" had their personal data erased on 2027-03-01 (PIPL erase request); nothing new is stored under this id';

  it('refuses a single event with a 400 naming the id and the date, storing nothing', async () => {
    const r = await api.http().post('/api/events').send(event('c002', 'e-1')).expect(400);
    expect(r.body.message).toEqual([expect.stringContaining(`customerExternalId: ${erasedWords}`)]);
    expect(r.body.accepted ?? 0).toBe(0);
  });

  it("refuses a batch's items for the erased id and stores the others", async () => {
    const r = await api.http().post('/api/events').send([event('c001', 'e-2'), event('c002', 'e-3')]).expect(200);
    expect(r.body).toMatchObject({ accepted: 1, duplicates: 0, rejected: [{ index: 1, field: 'customerExternalId', message: expect.stringContaining(erasedWords) }] });
  });
});

describe('rekindle customers erase', () => {
  it('needs --yes, refuses a live customer, erases a binned one', async () => {
    const dir = tempDir('rekindle-erase-cli-');
    const db = join(dir, 'shop.sqlite');
    const rules = emptyRules();
    const csv = join(dir, 'customers.csv');
    writeFileSync(csv, CSV);
    const run = (...args: string[]) => cli(['--db', db, '--rules', rules, ...args]);
    expect((await run('import', 'customers', csv)).code).toBe(0);

    const noYes = await run('customers', 'erase', 'c001');
    expect(noYes.code).not.toBe(0);
    expect(noYes.stderr).toContain('erasing "c001" cannot be undone: run again with --yes');
    const live = await run('customers', 'erase', 'c001', '--yes');
    expect(live.code).not.toBe(0);
    expect(live.stderr).toContain('customer "c001" is not in the recycle bin: move them there first (rekindle customers delete c001), then erase');

    expect((await run('customers', 'delete', 'c001')).code).toBe(0);
    const erased = await run('customers', 'erase', 'c001', '--yes');
    expect(erased).toMatchObject({ code: 0 });
    expect(erased.stdout).toContain('erased the personal data of c001');
    const bin = await run('customers', 'bin');
    expect(bin.stdout).toMatch(/^c001\t\tdeleted .*\terased /m);
    expect(bin.stdout).not.toContain('王芳');
    const restore = await run('customers', 'restore', 'c001');
    expect(restore.code).not.toBe(0);
    const audit = await run('audit', '--action', 'customer-erased');
    expect(audit.stdout).toContain('customer-erased');
    // explain says the name is gone because it was erased, not that there never was one.
    const explained = await run('explain', 'c001');
    expect(explained.code).toBe(0);
    expect(explained.stdout.split('\n')[0]).toMatch(/^customer c001 \(personal data erased \d{4}-\d{2}-\d{2} \d{2}:\d{2} .*\(PIPL erase request\)\) \[in recycle bin\]$/);
    // An events file naming the erased id: that line is refused by name and date, the other stored.
    const events = join(dir, 'events.ndjson');
    writeFileSync(events, ['c002', 'c001'].map((c, i) => JSON.stringify({ type: 'page_view', customerExternalId: c, occurredAt: '2026-12-01T09:00:00+08:00', idempotencyKey: `f-${i}`, properties: {} })).join('\n') + '\n');
    const imported = await run('import', 'events', events);
    expect(imported.code).not.toBe(0);
    expect(imported.stderr).toMatch(/events\.ndjson:2: customerExternalId: customer "c001" had their personal data erased on \d{4}-\d{2}-\d{2} \(PIPL erase request\); nothing new is stored under this id/);
    // So is an orders file's line for it (a small file: parsed in the CLI's own thread).
    const orders = join(dir, 'orders.csv');
    writeFileSync(orders, 'externalId,customerExternalId,status,amount,createdAt,paidAt\no-1,c002,paid,20,2026-12-01T12:00:00+08:00,2026-12-01T12:01:00+08:00\no-2,c001,paid,30,2026-12-01T12:00:00+08:00,2026-12-01T12:01:00+08:00\n');
    const ordered = await run('import', 'orders', orders);
    expect(ordered.code).not.toBe(0);
    expect(ordered.stderr).toMatch(/orders\.csv:3: customerExternalId: customer "c001" had their personal data erased on \d{4}-\d{2}-\d{2} \(PIPL erase request\)/);
    expect(ordered.stdout + ordered.stderr).toMatch(/1 created/);
  });
});
