/**
 * "Why did this customer not enter?" is answered as of the moment the engine acted on the event
 * (its intake batch), not the moment the event arrived: the intake decides by the flow as it
 * stands then. Events stored by another process (`rekindle import events`) wait in the inbox until
 * the server's intake takes them up. Before, explain judged by the arrival: an order that arrived
 * while the flow ran but was taken up while it was paused was put down to "no reason on record",
 * and one that arrived during a pause but was taken up after it (and refused for its missing key)
 * to the pause.
 */
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { VirtualClock } from '../../server/src/core/clock.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { cli } from '../support/cli.js';
import { DIALECTS, freshTarget } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/http-app.js';
import { addCustomers } from '../support/shop-fixtures.js';
import { tempDir } from '../support/temp-dirs.js';

const MINUTE = 60_000;
/** A time as explain writes it (the demo shop's zone). */
const SHOP_TIME = String.raw`\d{4}-\d\d-\d\d \d\d:\d\d \+08:00`;

describe.each(DIALECTS)('explain judges a missed entry by when the engine acted on the event (%s)', (dialect) => {
  let api: TestApp;
  let drop: () => Promise<void>;
  let ds: DataSource;
  let customerId: number;
  let db: string;
  // The CLI stores events at the real time: the server's clock follows it, moved on by hand.
  const clock = new VirtualClock(Date.now());
  const catchUp = () => clock.set(Math.max(clock.now(), Date.now()));
  const rules = tempDir('rekindle-explain-acted-on-rules-');
  const files = tempDir('rekindle-explain-acted-on-files-');
  const importEvents = async (name: string, events: Record<string, unknown>[]) => {
    const file = join(files, name);
    writeFileSync(file, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
    const r = await cli(['--db', db, '--rules', rules, 'import', 'events', file]);
    expect(r.code).toBe(0);
  };
  const order = (key: string, properties: Record<string, unknown>) => ({ customerExternalId: 'buyer-1', type: 'order_created', properties, occurredAt: new Date().toISOString(), idempotencyKey: key });

  beforeAll(async () => {
    cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });
    const t = await freshTarget(dialect, { migrated: true });
    drop = t.drop;
    db = (t.target as { url: string }).url;
    api = await createTestApp({ database: t.target, rulesDir: rules, clock, schedulers: false });
    ds = api.app.get(DataSource);
    [customerId] = await addCustomers(ds, [{ externalId: 'buyer-1', phone: '13800000001', consent: { sms: true } }], clock.now());
    await api.http('marketer').post('/api/flows/payment-reminder/publish').send({}).expect(200);
  });
  afterAll(async () => {
    await api?.close();
    await drop?.();
  });

  it('names the pause that applied when the engine acted on the event, and the refusal after the pause for one that arrived during it', async () => {
    // o-late arrives while the flow runs; nobody takes it up before the marketer pauses the flow.
    await importEvents('before-pause.ndjson', [order('late-1', { orderId: 'o-late' })]);
    catchUp();
    const pausedAt = clock.now();
    await api.http('marketer').post('/api/flows/payment-reminder/pause').expect(200);
    clock.advance(10 * MINUTE);
    await api.http().post('/api/engine/tick').expect(200);
    // A second order arrives during the pause, without its orderId; the intake takes it up after the resume.
    await importEvents('during-pause.ndjson', [order('keyless-1', { order_id: 'o-keyless' })]);
    clock.advance(10 * MINUTE);
    const resumedAt = clock.now();
    await api.http().post('/api/flows/payment-reminder/resume').expect(200);
    await api.http().post('/api/engine/tick').expect(200);
    expect(await queryRows(ds, "SELECT journey_key FROM enrollments WHERE flow_id = 'payment-reminder'")).toEqual([]);

    const j = (await api.http('analyst').get(`/api/customers/${customerId}/journey`).expect(200)).body;
    const late = j.missedEntries.find((m: { journeyKey: string | null }) => m.journeyKey === 'o-late');
    expect(late).toMatchObject({ flowId: 'payment-reminder', actedOnAt: new Date(pausedAt + 10 * MINUTE).toISOString(), reason: { kind: 'paused', since: new Date(pausedAt).toISOString(), by: 'marketer', until: new Date(resumedAt).toISOString() } });
    expect(Date.parse(late.receivedAt)).toBeLessThanOrEqual(pausedAt);
    const keyless = j.missedEntries.find((m: { journeyKey: string | null }) => m.journeyKey === null);
    expect(keyless).toMatchObject({ flowId: 'payment-reminder', actedOnAt: new Date(resumedAt).toISOString(), reason: { kind: 'key-missing', key: 'orderId' } });
    expect(Date.parse(keyless.receivedAt)).toBeGreaterThan(pausedAt);

    // The operator's words: the flow, both times, and the reason that applied when the engine acted.
    const text = await cli(['--db', db, '--rules', rules, 'explain', 'buyer-1']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(
      new RegExp(
        `no payment-reminder journey started for order_created o-late \\(arrived ${SHOP_TIME}, acted on by the engine ${SHOP_TIME}\\): the flow was paused when the engine acted on it \\(paused by marketer at ${SHOP_TIME} until ${SHOP_TIME} \\(resumed by admin\\)\\); a paused flow lets nobody in`,
      ),
    );
    expect(text.stdout).toMatch(new RegExp(`no payment-reminder journey started for order_created \\(arrived ${SHOP_TIME}, acted on by the engine ${SHOP_TIME}\\): the journey is keyed by orderId and the event has`));
    expect(text.stdout).not.toMatch(/o-late[^\n]*no reason on record/);
    expect(text.stdout).not.toMatch(/order_created \(arrived[^\n]*was paused when it arrived/);
  });
});
