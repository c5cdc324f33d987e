import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sendLogPageQuery, sendLogRows } from '../../server/src/persistence/send-log.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { insertCustomer, insertSend } from '../support/outbox-fixtures.js';

/**
 * The send-log export pages through the log by id. A page must read on from the last id, not
 * collect and sort every row of the flow again (quadratic: a million-customer campaign's export
 * never finished).
 */
describe.each(DIALECTS)('send-log export pages on %s', (dialect) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(dialect);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('returns every row of a flow once, in id order, across pages of 1,000, with other flows and statuses interleaved', async () => {
    const ds = db.dataSource;
    const alice = await insertCustomer(ds, { externalId: 'pages-alice' });
    const bob = await insertCustomer(ds, { externalId: 'pages-bob' });
    const wanted: number[] = [];
    // One commit for the 2,300 rows (one each took ~50 s of a loaded machine's suite).
    await ds.transaction(async (m) => {
      for (let i = 0; i < 2_300; i++) {
        const id = await insertSend(ds, { customerId: i % 2 ? alice : bob, flowId: i % 3 === 0 ? 'other-flow' : 'pages-flow', status: i % 5 === 0 ? 'blocked' : 'queued' }, m);
        if (i % 3 !== 0) wanted.push(id);
      }
    });
    const got: number[] = [];
    for await (const r of sendLogRows(ds, { flowId: 'pages-flow' })) got.push(Number(r.id));
    expect(got).toEqual(wanted);

    const blocked: number[] = [];
    for await (const r of sendLogRows(ds, { flowId: 'pages-flow', status: 'blocked' })) blocked.push(Number(r.id));
    expect(blocked.length).toBeGreaterThan(0);
    expect(blocked).toEqual([...blocked].sort((a, b) => a - b));

    const bobs: string[] = [];
    for await (const r of sendLogRows(ds, { flowId: 'pages-flow', customerExternalId: 'pages-bob' })) bobs.push(String(r.customer_external_id));
    expect(new Set(bobs)).toEqual(new Set(['pages-bob']));
  }, 120_000);

  it('gives the sends of one day: scheduled from its first instant up to, not including, the next day\'s (export sends --day)', async () => {
    const ds = db.dataSource;
    const carol = await insertCustomer(ds, { externalId: 'day-carol' });
    const day = Date.parse('2027-05-04T00:00:00+08:00');
    const at = [day - 1, day, day + 10 * 3_600_000, day + 86_400_000 - 1, day + 86_400_000];
    const ids: number[] = [];
    for (const scheduledAt of at) ids.push(await insertSend(ds, { customerId: carol, flowId: 'day-flow', status: 'sent', scheduledAt }));
    const got: number[] = [];
    for await (const r of sendLogRows(ds, { flowId: 'day-flow', scheduledFrom: day, scheduledBefore: day + 86_400_000 })) got.push(Number(r.id));
    expect(got).toEqual(ids.slice(1, 4));
  });

  if (dialect === 'sqlite') {
    it('reads a page of a flow or a status along the primary key, never sorting the filtered log', async () => {
      for (const filter of [{ flowId: 'pages-flow' }, { status: 'queued' as const }, { flowId: 'pages-flow', status: 'sent' as const }]) {
        const { sql, params } = sendLogPageQuery(db.dataSource, filter);
        const plan = (await db.dataSource.query(`EXPLAIN QUERY PLAN ${sql}`, [0, ...params])) as { detail: string }[];
        const details = plan.map((p) => p.detail).join(' | ');
        expect(details).toMatch(/SEARCH s USING INTEGER PRIMARY KEY \(rowid>\?\)/);
        expect(details).not.toMatch(/TEMP B-TREE/);
      }
    });
  }
});
