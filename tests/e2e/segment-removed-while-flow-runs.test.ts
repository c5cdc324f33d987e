import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { VirtualClock } from '../../server/src/core/clock.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { freshTarget } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/http-app.js';
import { addCustomers } from '../support/shop-fixtures.js';
import { tempDir } from '../support/temp-dirs.js';

process.env.REKINDLE_QUIET = '1';
const T0 = Date.parse('2026-11-20T10:30:00+08:00');

/** A hand-written care journey over a segment of its own, as a developer keeps it in git. */
const careFlow = (trigger: string) =>
  [
    'id: vip-care',
    'name: 大单关怀',
    'nodes:',
    '  - id: start',
    '    type: entry',
    `    trigger: ${trigger}`,
    '    next: hello',
    '  - id: hello',
    '    type: send',
    '    channel: wangwang',
    '    category: care',
    '    template: 亲，宝贝收到了吗？',
    '    next: done',
    '  - id: done',
    '    type: exit',
    '',
  ].join('\n');

/**
 * Walkthrough (developer in git): a segment a published journey uses was renamed in a commit
 * (`git mv pre-sleep-vip.yaml presleep-vip.yaml`, the flow file updated, not yet published). The
 * running version still named the old segment, `rekindle validate` passed, and every event intake
 * batch failed on `unknown rule "pre-sleep-vip"`: the payment reminder's order_created events stayed
 * pending with the rest, retried forever, said only as an error line in the server's log. A schedule
 * over a missing segment threw out of the tick before any journey stepped.
 */
describe('a segment renamed or deleted in git while a published journey names it', () => {
  let api: TestApp;
  let ds: DataSource;
  let drop: () => Promise<void>;
  const clock = new VirtualClock(T0);
  const rules = tempDir('rekindle-segment-removed-rules-');
  const enrolled = async (flowId: string) => (await queryRows(ds, 'SELECT c.external_id AS id FROM enrollments e JOIN customers c ON c.id = e.customer_id WHERE e.flow_id = ? ORDER BY 1', [flowId])).map((r) => r.id);
  const event = (type: string, customer: string, orderId: string, key: string) => ({ type, customerExternalId: customer, occurredAt: new Date(clock.now()).toISOString(), idempotencyKey: key, properties: { orderId, amount: 300 } });

  beforeAll(async () => {
    cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });
    writeFileSync(join(rules, 'segments', 'vip-only.yaml'), 'name: vip-only\ntitle: 大客户\nconditions:\n  all:\n    - fact: province\n      operator: equal\n      value: 浙江\n');
    const t = await freshTarget('sqlite', { migrated: true });
    drop = t.drop;
    api = await createTestApp({ database: t.target, rulesDir: rules, clock, schedulers: false });
    ds = api.app.get(DataSource);
    await addCustomers(ds, [{ externalId: 'c1' }, { externalId: 'c2' }], T0);
    await api.http('marketer').post('/api/flows/payment-reminder/publish').send({}).expect(200);
  });
  afterAll(async () => {
    await api?.close();
    await drop?.();
  });

  it("leaves the other flows' event intake going: the order is reminded, and the journey without its segment refuses its entries (segment-unusable)", async () => {
    writeFileSync(join(rules, 'flows', 'vip-care.flow.yaml'), careFlow('{ type: event, event: order_paid, key: orderId, segment: vip-only }'));
    await api.http('marketer').post('/api/flows/vip-care/publish').send({}).expect(200);
    rmSync(join(rules, 'segments', 'vip-only.yaml'));
    await api.http('admin').post('/api/events').send([event('order_paid', 'c1', 'o-1', 'k1'), event('order_created', 'c2', 'o-2', 'k2')]).expect(200);
    await api.http('admin').post('/api/engine/tick').send({}).expect(200);
    expect(await enrolled('payment-reminder')).toEqual(['c2']);
    expect(await enrolled('vip-care')).toEqual([]);
    const intake = (await api.http('admin').get('/api/events/intake').expect(200)).body;
    expect(intake.pending).toBe(0);
    await api.http('marketer').post('/api/flows/vip-care/stop').send({}).expect(200);
  });

  it('keeps the tick stepping every other journey when a schedule names a segment that is gone', async () => {
    writeFileSync(join(rules, 'segments', 'hourly-gone.yaml'), 'name: hourly-gone\nconditions:\n  all:\n    - fact: province\n      operator: equal\n      value: 浙江\n');
    writeFileSync(join(rules, 'flows', 'vip-care.flow.yaml'), careFlow('{ type: schedule, segment: hourly-gone, every: hour }'));
    await api.http('marketer').post('/api/flows/vip-care/publish').send({}).expect(200);
    rmSync(join(rules, 'segments', 'hourly-gone.yaml'));
    clock.advance(3 * 60 * 60 * 1000);
    const tick = await api.http('admin').post('/api/engine/tick').send({}).expect(200);
    // The payment reminder's 2-hour wait is over: it is stepped although the schedule could not run.
    expect(tick.body.steps.steps).toBeGreaterThan(0);
    expect(await enrolled('vip-care')).toEqual([]);
    // Restored (git revert): the schedule runs at the next tick.
    writeFileSync(join(rules, 'segments', 'hourly-gone.yaml'), 'name: hourly-gone\nconditions:\n  all:\n    - fact: province\n      operator: equal\n      value: 浙江\n');
    await api.http('admin').post('/api/engine/tick').send({}).expect(200);
    expect(await enrolled('vip-care')).toEqual(['c1', 'c2']);
  });
});
