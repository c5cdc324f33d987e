/**
 * The simulated channel answers a message with a click on its tracked link, and its purchases
 * follow the click. A message without a link cannot be clicked (docs/flows.md): it is delivered
 * (or not) like any other, but never answered — no `click` event, no clicked_at, no purchase of
 * its own, and the report's "answered (click)" does not count it. It used to draw a click for
 * every message (the event's token null), so a flow without links reported clicks and paid orders.
 * Both databases.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { MS_PER_DAY, MS_PER_HOUR, VirtualClock } from '../../server/src/core/clock.js';
import { CHANNELS } from '../../server/src/core/data/model.js';
import { DEFAULT_SIMULATED_RATES, type SimulatedRates } from '../../server/src/core/channels/simulated-delivery.js';
import { FlowSchema } from '../../server/src/core/flow/schema.js';
import { defaultShopConfig } from '../../server/src/core/shop-config.js';
import { deliverSimulated, type SimulatedDeliveryReport } from '../../server/src/persistence/simulated-delivery.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { createEngineRuntime } from '../../server/src/runtime/engine-runtime.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { addCustomers, addEvent } from '../support/shop-fixtures.js';
import { tempDir } from '../support/temp-dirs.js';

/** 10:00 in Shanghai on 5 Nov 2026 (outside quiet hours). */
const T0 = Date.parse('2026-11-05T02:00:00Z');
const all = (r: number) => Object.fromEntries(CHANNELS.map((c) => [c, r])) as SimulatedRates['delivery'];
// Every message delivered and answered if it can be, every answer buys; no organic purchases.
const RATES: SimulatedRates = { ...DEFAULT_SIMULATED_RATES, delivery: all(1), response: all(1), redeem: 1, purchase: 1, baseline: 0 };

const flowOf = (id: string, event: string, link: boolean) =>
  FlowSchema.parse({
    id,
    name: id,
    nodes: [
      { id: 'start', type: 'entry', trigger: { type: 'event', event }, next: 'sms' },
      { id: 'sms', type: 'send', channel: 'sms', category: 'care', template: link ? '{{customer.name}}，您的包裹已发出，查看物流：{{link}}' : '{{customer.name}}，您的包裹已发出', ...(link ? { link: 'https://shop.example/track' } : {}), next: 'done' },
      { id: 'done', type: 'exit' },
    ],
  });

type SendRow = { id: number; idempotency_key: string; flow_id: string; status: string; link_token: string | null; clicked_at: number | null };

describe.each(DIALECTS)('simulated clicks need a link, on %s', (dialect) => {
  let db: TestDatabase;
  let ds: DataSource;
  let plainReport: SimulatedDeliveryReport;
  let sends: SendRow[];
  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    ds = db.dataSource;
    const rules = tempDir('rekindle-sim-click-');
    cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });
    const rt = createEngineRuntime(ds, { rulesDir: rules, shop: defaultShopConfig }, new VirtualClock(T0), { publicBaseUrl: null });
    const { version: plain } = await rt.flows.publish(flowOf('plain', 'shipped', false), 'test', T0 - MS_PER_HOUR);
    await rt.flows.publish(flowOf('linked', 'shipped-tracked', true), 'test', T0 - MS_PER_HOUR);
    const ids = await addCustomers(ds, [1, 2, 3, 4, 5, 6].map((n) => ({ externalId: `c${n}`, name: `客户${n}`, phone: `1390000000${n}`, consent: { sms: true } })), T0 - MS_PER_DAY);
    await rt.engine.onEvents(await Promise.all(ids.map((id, i) => addEvent(ds, id, i < 3 ? 'shipped' : 'shipped-tracked', {}, T0))));
    await rt.engine.tick();
    // Delivered now; the answers' purchases (clicks within ~36 h, paid within an hour of them) written two days on.
    plainReport = await deliverSimulated(ds, RATES, T0, { flowId: 'plain', versionId: plain.id }, 'Asia/Shanghai', MS_PER_HOUR);
    await deliverSimulated(ds, RATES, T0 + 2 * MS_PER_DAY, { flowId: 'plain', versionId: plain.id }, 'Asia/Shanghai', MS_PER_HOUR);
    sends = await queryRows<SendRow>(ds, 'SELECT id, idempotency_key, flow_id, status, link_token, clicked_at FROM sends ORDER BY id');
  }, 60_000);
  afterAll(async () => db?.close());

  it('delivers the messages without a link but never clicks them, nor buys because of them', async () => {
    const plain = sends.filter((s) => s.flow_id === 'plain');
    expect(plain).toHaveLength(3);
    for (const s of plain) {
      expect(s.status).toBe('sent');
      expect(s.link_token).toBeNull();
      expect(s.clicked_at).toBeNull();
    }
    const clicks = await queryRows<{ properties: unknown }>(ds, "SELECT properties FROM customer_events WHERE type = 'click'");
    const clickedSends = clicks.map((c) => (typeof c.properties === 'string' ? JSON.parse(c.properties) : c.properties) as { sendId: number; token: string | null });
    expect(clickedSends.filter((c) => plain.some((s) => Number(s.id) === c.sendId))).toEqual([]);
    // Every simulated click names the token of the link it opened.
    expect(clickedSends.every((c) => typeof c.token === 'string' && c.token.length === 12)).toBe(true);
    const orders = await queryRows<{ external_id: string }>(ds, 'SELECT external_id FROM orders');
    expect(orders.filter((o) => plain.some((s) => o.external_id === `sim-${s.idempotency_key}`))).toEqual([]);
    expect(plainReport).toMatchObject({ delivered: 3, undelivered: 0, responses: 0, orders: 0 });
  });

  it('still clicks (and buys on) the messages with a link, at the same rates', async () => {
    const linked = sends.filter((s) => s.flow_id === 'linked');
    expect(linked).toHaveLength(3);
    const clicks = await queryRows<{ properties: unknown }>(ds, "SELECT properties FROM customer_events WHERE type = 'click'");
    const tokens = clicks.map((c) => ((typeof c.properties === 'string' ? JSON.parse(c.properties) : c.properties) as { token: string }).token).sort();
    expect(tokens).toEqual(linked.map((s) => s.link_token).sort());
    for (const s of linked) expect(s.clicked_at).not.toBeNull();
    const orders = await queryRows<{ external_id: string }>(ds, "SELECT external_id FROM orders WHERE external_id LIKE 'sim-%'");
    expect(orders.map((o) => o.external_id).sort()).toEqual(linked.map((s) => `sim-${s.idempotency_key}`).sort());
  });
});
