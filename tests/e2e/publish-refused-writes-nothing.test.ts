import { cpSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { createTestApp, type TestApp } from '../support/http-app.js';
import { VirtualClock } from '../../server/src/core/clock.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { freshTarget } from '../support/databases.js';
import { tempDir } from '../support/temp-dirs.js';

const T0 = Date.parse('2026-11-20T10:00:00+08:00');

/** The payment reminder as the designer draws it, with a switch on a segment rule (`rule`). */
const drawn = (rule: string) => ({
  id: 'payment-reminder',
  name: '催付（改）',
  nodes: [
    { id: 'start', type: 'entry', trigger: { type: 'event', event: 'order_created', key: 'orderId' }, next: 'wait-2h' },
    { id: 'wait-2h', type: 'waitForEvent', events: ['order_paid'], match: { orderId: '$key' }, within: '2h', responded: 'paid', timedOut: 'who' },
    { id: 'who', type: 'switch', cases: [{ label: '近期未付', rule, next: 'sms' }], else: 'give-up' },
    { id: 'sms', type: 'send', channel: 'sms', category: 'transactional', template: '您的订单{{key}}尚未付款 {{link}}', link: 'https://shop.example/pay', next: 'paid-in-time' },
    { id: 'paid-in-time', type: 'waitForEvent', events: ['order_paid'], match: { orderId: '$key' }, within: '22h', responded: 'paid', timedOut: 'give-up' },
    { id: 'paid', type: 'exit', goal: true },
    { id: 'give-up', type: 'exit' },
  ],
});
const layout = { positions: { start: { x: 0, y: 0 }, who: { x: 0, y: 200 } } };

/** Every file under rules/flows/ with its bytes: a refused publish must leave them all as they were (no temp file either). */
const flowFiles = (rules: string) => Object.fromEntries(readdirSync(join(rules, 'flows')).sort().map((f) => [f, readFileSync(join(rules, 'flows', f)).toString('base64')]));

describe('a refused publish from the designer writes no file and no row', () => {
  let api: TestApp;
  let ds: DataSource;
  const rules = tempDir('rekindle-publish-refused-');
  const dbState = async () => ({
    flows: await queryRows(ds, 'SELECT * FROM flows ORDER BY id'),
    versions: await queryRows(ds, 'SELECT * FROM flow_versions ORDER BY id'),
  });

  beforeAll(async () => {
    cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });
    const t = await freshTarget('sqlite');
    api = await createTestApp({ database: t.target, rulesDir: rules, clock: new VirtualClock(T0), schedulers: false });
    ds = api.app.get(DataSource);
    // Published once from its file, so the refused publishes below have a live version to leave alone.
    await api.http('marketer').post('/api/flows/payment-reminder/publish').send({}).expect(200);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('a segment the running server does not know (a file copied in after it started) is refused with files byte-identical and the database unchanged', async () => {
    // The file exists (the designer's save checks pass) but the server's rule set has no such rule: the publish refuses.
    cpSync(join(rules, 'segments', 'unpaid-recent.yaml'), join(rules, 'segments', 'unpaid-copied-later.yaml'));
    const files = flowFiles(rules);
    const db = await dbState();
    const res = await api.http('marketer').post('/api/flows/payment-reminder/publish').send({ flow: drawn('unpaid-copied-later'), layout, create: false }).expect(422);
    expect(res.body.code).toBe('flow-has-problems');
    expect(res.body.problems).toEqual(expect.arrayContaining([expect.objectContaining({ nodeId: 'who', severity: 'error' })]));
    expect(JSON.stringify(res.body)).not.toContain(rules);
    expect(flowFiles(rules)).toEqual(files);
    expect(await dbState()).toEqual(db);
  });

  it('a drawing with errors (an unknown segment) is refused with files byte-identical and the database unchanged', async () => {
    const files = flowFiles(rules);
    const db = await dbState();
    const res = await api.http('marketer').post('/api/flows/payment-reminder/publish').send({ flow: drawn('no-such-segment'), layout, create: false }).expect(422);
    expect(res.body.code).toBe('flow-has-problems');
    expect(flowFiles(rules)).toEqual(files);
    expect(await dbState()).toEqual(db);
  });

  it('an accepted publish writes the drawing as the flow and layout files after storing its version', async () => {
    const before = (await dbState()).versions.length;
    await api.http('anonymous').post('/api/flows/payment-reminder/publish').send({ flow: drawn('unpaid-recent'), layout }).expect(401);
    await api.http('analyst').post('/api/flows/payment-reminder/publish').send({ flow: drawn('unpaid-recent'), layout }).expect(403);
    const res = await api.http('marketer').post('/api/flows/payment-reminder/publish').send({ flow: drawn('unpaid-recent'), layout }).expect(200);
    expect(res.body).toMatchObject({ flowId: 'payment-reminder', created: true });
    expect((await dbState()).versions.length).toBe(before + 1);
    expect(readFileSync(join(rules, 'flows', 'payment-reminder.flow.yaml'), 'utf8')).toContain('rule: unpaid-recent');
    expect(readFileSync(join(rules, 'flows', 'payment-reminder.layout.yaml'), 'utf8')).toContain('who');
    expect(readdirSync(join(rules, 'flows')).filter((f) => f.includes('.tmp-'))).toEqual([]);
    expect(existsSync(join(rules, 'flows', 'payment-reminder.flow.yaml'))).toBe(true);
  });
});
