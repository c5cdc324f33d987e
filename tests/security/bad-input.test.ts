import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { DataSource } from 'typeorm';
import { VirtualClock } from '../../server/src/core/clock.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { cli } from '../support/cli.js';
import { freshTarget } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/http-app.js';
import { addCustomers } from '../support/shop-fixtures.js';
import { tempDir } from '../support/temp-dirs.js';

/**
 * Every bad input of issue 11 as a real HTTP request or CLI call: a 4xx (or a CLI error) that names
 * the place, nothing written, and no server path in the message.
 */
process.env.REKINDLE_QUIET = '1';
const NOW = Date.parse('2026-11-02T02:00:00Z');
const BOMB = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]', ...'bcdefg'.split('').map((k, i) => `${k}: &${k} [${Array(10).fill(`*${'abcdefg'[i]}`).join(',')}]`)].join('\n');

describe('bad input is refused with a 4xx naming the place, and nothing is written', () => {
  let api: TestApp;
  let ds: DataSource;
  let db: string;
  const rules = tempDir('rekindle-bad-rules-');
  cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });
  const count = async (table: string) => Number((await queryRows(ds, `SELECT COUNT(*) AS n FROM ${table}`))[0].n);
  const noPath = (body: unknown) => expect(JSON.stringify(body)).not.toContain(rules);

  beforeAll(async () => {
    const t = await freshTarget('sqlite');
    db = t.target.url;
    api = await createTestApp({ database: t.target, rulesDir: rules, clock: new VirtualClock(NOW), schedulers: false });
    ds = api.app.get(DataSource);
    await addCustomers(ds, [{ externalId: 'c1' }], NOW - 86_400_000);
  });
  afterAll(async () => api?.close());

  it('a 230-character flow id', async () => {
    const id = 'a'.repeat(230);
    for (const r of [await api.http().get(`/api/flows/${id}/file`), await api.http('marketer').post(`/api/flows/${id}/publish`).send({}), await api.http('marketer').put(`/api/flows/${id}/file`).send({ flow: {} })]) {
      expect(r.status).toBe(400);
      expect(JSON.stringify(r.body)).toMatch(/at most 64 characters/);
    }
    const c = await cli(['--db', db, '--rules', rules, 'flows', 'publish', id]);
    expect(c.code).toBe(1);
    expect(c.stderr).not.toMatch(/ENAMETOOLONG|at .*\(/);
  });

  it('an `in` list of 40,000 values, 5,000 nested `not`, withinLastDays 1e305', async () => {
    const list = await api.http('analyst').post('/api/segments/preview').send({ conditions: { all: [{ fact: 'city', operator: 'in', value: Array.from({ length: 40_000 }, (_, i) => String(i)) }] } });
    expect(list.status).toBe(400);
    expect(JSON.stringify(list.body)).toMatch(/conditions\.all\[0\]\.value.*at most 1,000 values for city, got 40,000/);
    // Written out by hand: JSON.stringify itself overflows at this depth.
    const deep = '{"conditions":' + '{"not":'.repeat(5000) + '{"fact":"orderCount","operator":"greaterThan","value":1}' + '}'.repeat(5000) + '}';
    const nested = await api.http('analyst').post('/api/segments/preview').set('Content-Type', 'application/json').send(deep);
    expect(nested.status).toBe(400);
    expect(JSON.stringify(nested.body)).toMatch(/nested deeper than 24 levels|nested too deeply/);
    const huge = await api.http('analyst').post('/api/segments/preview').send({ conditions: { all: [{ fact: 'lastOrderAt', operator: 'withinLastDays', value: 1e305 }] } });
    expect(huge.status).toBe(400);
    expect(JSON.stringify(huge.body)).toMatch(/value.*days from 0 to 36,500/);
  });

  it('a YAML alias bomb in the policy: 400 naming the file, file unchanged', async () => {
    const before = readFileSync(join(rules, 'policy.yaml'), 'utf8');
    const r = await api.http('admin').put('/api/policy').send({ yaml: `${BOMB}\ncaps: *g\n` });
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body)).toMatch(/policy\.yaml:1 refused: its aliases/);
    expect(readFileSync(join(rules, 'policy.yaml'), 'utf8')).toBe(before);
  });

  it('a YAML alias bomb in one flow file: that file is reported, templates and other flows still work, validate goes on', async () => {
    writeFileSync(join(rules, 'flows', 'bomb.flow.yaml'), `id: bomb\nname: Bomb\n${BOMB}\nnodes: *g\n`);
    const templates = await api.http().get('/api/templates').expect(200);
    expect(templates.body.templates.map((t: { id: string }) => t.id)).toContain('payment-reminder');
    await api.http('marketer').post('/api/flows/payment-reminder/publish').send({}).expect(200);
    const bomb = await api.http('marketer').post('/api/flows/bomb/publish').send({});
    expect(bomb.status).toBe(422);
    expect(JSON.stringify(bomb.body)).toMatch(/bomb\.flow\.yaml/);
    expect(JSON.stringify(bomb.body)).toMatch(/aliases/);
    noPath(bomb.body);
    const v = await cli(['--rules', rules, 'validate']);
    expect(v.code).toBe(1);
    expect(v.stdout + v.stderr).toMatch(/bomb\.flow\.yaml.*aliases/);
    // It went on to check every other file, and only the bomb failed.
    expect(Number(/(\d+) files checked: 1 error/.exec(v.stdout + v.stderr)?.[1])).toBeGreaterThan(10);
  });

  it('a CSV with an unclosed quote commits nothing and says where', async () => {
    const before = await count('customers');
    const rows = Array.from({ length: 1500 }, (_, i) => `q${i},Name ${i}`).join('\n');
    const r = await api.http('admin').post('/api/import/customers').set('Content-Type', 'text/csv').send(`externalId,name\n${rows}\nq-bad,"never closed\nq-after,x\n`);
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    expect(r.body.message).toMatch(/^customers\.csv line 1503: the file ends inside a quoted field .*; nothing was imported$/);
    expect(await count('customers')).toBe(before);
    // The CLI too: the file and line are named, nothing is imported.
    const file = join(tempDir('rekindle-bad-'), 'customers.csv');
    writeFileSync(file, `externalId,name\n${rows}\nq-bad,"never closed\nq-after,x\n`);
    const c = await cli(['--db', db, '--rules', rules, 'import', 'customers', file]);
    expect(c.code).toBe(1);
    expect(c.stderr).toMatch(/customers\.csv:1503: the file ends inside a quoted field .*never closed\); nothing was imported/);
    expect(await count('customers')).toBe(before);
  });

  it('a GBK (Taobao) CSV is decoded, not stored as mojibake', async () => {
    const gbk = iconv.encode('externalId,name,province\ngbk-1,王芳,浙江\n', 'gbk');
    const r = await api.http('admin').post('/api/import/customers').set('Content-Type', 'text/csv; charset=gbk').send(gbk);
    expect(r.status).toBe(200);
    const [c] = await queryRows(ds, "SELECT name, province FROM customers WHERE external_id = 'gbk-1'");
    expect(c).toMatchObject({ name: '王芳', province: '浙江' });
    // Without a charset (how browsers and curl send a file): detected as GBK, not stored as mojibake.
    const bare = iconv.encode('externalId,name,province\ngbk-2,李雷,江苏\n', 'gbk');
    await api.http('admin').post('/api/import/customers').set('Content-Type', 'text/csv').send(bare).expect(200);
    const [d] = await queryRows(ds, "SELECT name, province FROM customers WHERE external_id = 'gbk-2'");
    expect(d).toMatchObject({ name: '李雷', province: '江苏' });
    // Bytes that are neither UTF-8 nor GBK are refused, naming the encodings.
    const junk = Buffer.from([0x65, 0x78, 0x74, 0x65, 0x72, 0x6e, 0x61, 0x6c, 0x49, 0x64, 0x0a, 0x81, 0x7f, 0xff, 0x0a]);
    const r2 = await api.http('admin').post('/api/import/customers').set('Content-Type', 'text/csv').send(junk).expect(400);
    expect(r2.body.message).toMatch(/neither UTF-8 nor GBK\/GB18030/);
  });

  it('control characters in ids, impossible or far-off event times, 1 MB of properties', async () => {
    const ev = (over: Record<string, unknown>) => ({ customerExternalId: 'c1', type: 'visit', properties: {}, occurredAt: '2026-11-01T10:00:00Z', idempotencyKey: `k-${Math.random()}`, ...over });
    const before = await count('customer_events');
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ customerExternalId: 'c1\u0000x' }, /customerExternalId: contains a control character \(U\+0000\)/],
      [{ idempotencyKey: 'k\nx' }, /idempotencyKey: contains a control character/],
      [{ occurredAt: '+275760-09-13T00:00:00Z' }, /occurredAt: out of range/],
      [{ occurredAt: '2026-02-30' }, /occurredAt: not a date: "2026-02-30" — 2026-02 has 28 days/],
      [{ occurredAt: '-000001-01-01T00:00:00Z' }, /occurredAt: out of range/],
      [{ occurredAt: -62198755200000 }, /occurredAt: out of range/],
      [{ properties: { blob: 'x'.repeat(1024 * 1024) } }, /properties: too large: 1025 KB \(at most 64 KB\)/],
    ];
    for (const [over, want] of cases) {
      const r = await api.http('admin').post('/api/events').send(ev(over));
      expect({ status: r.status, over: Object.keys(over) }).toMatchObject({ status: 400 });
      expect(([] as string[]).concat(r.body.message).join('\n')).toMatch(want);
    }
    const order = await api.http('admin').post('/api/orders').send({ externalId: 'o1', customerExternalId: 'c1', status: 'created', amount: 10, createdAt: '-000001-06-01T00:00:00Z' });
    expect(order.status).toBe(400);
    expect(await count('customer_events')).toBe(before);
    expect(await count('orders')).toBe(0);
  });

  it('formula-leading cells are escaped in every CSV export', async () => {
    await api.http('admin').post('/api/import/customers').set('Content-Type', 'text/csv').send('externalId,name,city\ncsv-1,"=HYPERLINK(""http://evil.example"",""x"")",@SUM(1)\n').expect(200);
    const csv = await api.http('marketer').get('/api/export/customers.csv').expect(200);
    const row = (parse(csv.text, { columns: true }) as Record<string, string>[]).find((r) => r.externalId === 'csv-1')!;
    expect(row.name).toBe('\'=HYPERLINK("http://evil.example","x")');
    expect(row.city).toBe("'@SUM(1)");
    const cliCsv = await cli(['--db', db, '--rules', rules, 'export', 'customers']);
    expect(cliCsv.stdout).toContain('\'=HYPERLINK(');
    expect(cliCsv.stdout).not.toMatch(/,=HYPERLINK/);
  });
});
