import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sendLogRows } from '../../server/src/persistence/send-log.js';
import { rows } from '../../server/src/persistence/outbox-sql.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { insertCustomer, insertSend } from '../support/outbox-fixtures.js';

/**
 * What an analyst reads in `export sends` (CSV and NDJSON share these rows): a held-back message's
 * text with stand-ins where its coupon would have been, and the group in words beside its id.
 */
describe.each(DIALECTS)('send-log export of held-back and grouped messages on %s', (dialect) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(dialect);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('shows coupon stand-ins in a blocked message and the switch case of its group', async () => {
    const ds = db.dataSource;
    const flow = {
      id: 'held-text',
      nodes: [
        { id: 'who', type: 'switch', cases: [{ label: 'A2 每年双十一都买', rule: 'r', next: 'cap-a2' }] },
        { id: 'cap-a2', type: 'limit', max: 2, mode: 'split', next: 'promo' },
        { id: 'promo', type: 'send', channel: 'sms', template: '送您{{coupon.amount}}元新品券，满{{coupon.minSpend}}可用：{{link}}' },
      ],
    };
    const [v] = await rows<{ id: number | string }>(ds, ds.manager, 'INSERT INTO flow_versions (flow_id, version, hash, content, published_at, author) VALUES (?, ?, ?, ?, ?, ?) RETURNING id', ['held-text', 1, 'h', JSON.stringify(flow), 0, 'test']);
    const customerId = await insertCustomer(ds, { externalId: 'held-text-1' });
    const id = await insertSend(ds, { customerId, flowId: 'held-text', versionId: Number(v.id), nodeId: 'promo', channel: 'sms', subject: null, body: '送您元新品券，满可用：/r/abc', status: 'blocked', reason: 'no-consent:sms' });
    await rows(ds, ds.manager, 'UPDATE sends SET group_label = ? WHERE id = ?', ['cap-a2-1', id]);
    const got = [];
    for await (const r of sendLogRows(ds, { flowId: 'held-text' })) got.push(r);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ body: '送您〈券面额〉元新品券，满〈使用门槛〉可用：/r/abc', group: 'cap-a2-1', group_label: 'A2 每年双十一都买' });
  });
});
