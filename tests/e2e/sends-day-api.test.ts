import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { VirtualClock } from '../../server/src/core/clock.js';
import { freshTarget } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/http-app.js';
import { insertCustomer, insertSend } from '../support/outbox-fixtures.js';

/**
 * The send log of one day of the shop's calendar over HTTP, as `rekindle export sends --day` gives it:
 * README says the API offers the same, and `GET /api/sends?day=` answered 400 `Unrecognized key: "day"`
 * (walkthrough). The shop is in Asia/Shanghai (rules/shop.yaml): the day runs from its midnight there.
 */
describe('GET /api/sends?day=: the sends of one day of the shop calendar', () => {
  let t: TestApp;
  const day = Date.parse('2027-05-04T00:00:00+08:00');
  const ids: number[] = [];

  beforeAll(async () => {
    t = await createTestApp({ database: (await freshTarget('sqlite')).target, rulesDir: 'rules', clock: new VirtualClock(day + 2 * 86_400_000), schedulers: false });
    const ds = t.app.get(DataSource);
    const carol = await insertCustomer(ds, { externalId: 'day-carol' });
    for (const scheduledAt of [day - 1, day, day + 10 * 3_600_000, day + 86_400_000 - 1, day + 86_400_000]) ids.push(await insertSend(ds, { customerId: carol, flowId: 'day-flow', status: 'sent', scheduledAt }));
  });
  afterAll(() => t?.close());

  const rowsOf = (text: string) => text.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { id: number; scheduled_at: string });

  it("gives the sends scheduled from the day's first instant in the shop's zone up to, not including, the next day's", async () => {
    const r = await t.http('marketer').get('/api/sends?flowId=day-flow&day=2027-05-04&format=ndjson').expect(200);
    expect(rowsOf(r.text).map((x) => Number(x.id))).toEqual(ids.slice(1, 4));
    // CSV alike, its times the shop's wall clock.
    const csv = await t.http('marketer').get('/api/sends?flowId=day-flow&day=2027-05-04').expect(200);
    expect(csv.text.trim().split('\n')).toHaveLength(4);
    expect(csv.text).toContain(',2027-05-04T00:00:00+08:00,');
    expect(csv.text).not.toContain('2027-05-03T23:59');
    expect(csv.text).not.toContain('2027-05-05T00:00');
  });

  it('refuses a day that is not one with 400 naming the field, and keeps the route for signed-in readers (anonymous 401)', async () => {
    expect((await t.http('marketer').get('/api/sends?day=2026-02-30').expect(400)).body.message).toBe('day: "2026-02-30" is not a date: 2026-02 has 28 days');
    expect((await t.http('marketer').get('/api/sends?day=4 May').expect(400)).body.message).toBe('day: expected a date such as 2027-05-04, got "4 May"');
    // An analyst reads the day too, without the message text (tests/security/analyst-send-log.test.ts).
    expect(rowsOf((await t.http('analyst').get('/api/sends?flowId=day-flow&day=2027-05-04&format=ndjson').expect(200)).text)).toHaveLength(3);
    await t.http('anonymous').get('/api/sends?day=2027-05-04').expect(401);
  });
});
