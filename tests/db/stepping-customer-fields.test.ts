import { afterEach, describe, expect, it } from '@jest/globals';
import { MS_PER_HOUR, VirtualClock } from '../../server/src/core/clock.js';
import { FlowSchema } from '../../server/src/core/flow/schema.js';
import type { FlowVersion } from '../../server/src/core/engine/model.js';
import { customerFieldsReadBy, customerFieldsReadByAll } from '../../server/src/core/engine/flow-customer-needs.js';
import { openWorkspace } from '../../server/src/config/workspace.js';
import { executeBatch, queryRows } from '../../server/src/persistence/sql-batch.js';
import { TypeOrmJourneyStore } from '../../server/src/persistence/journey-store.js';
import { defaultShopConfig } from '../../server/src/core/shop-config.js';
import { createEngineRuntime } from '../../server/src/runtime/engine-runtime.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';
import { recordPreparedStatements } from '../support/prepared-statements.js';
import { addCustomers, addEvent } from '../support/shop-fixtures.js';
import { tempDir } from '../support/temp-dirs.js';

const T0 = Date.parse('2026-11-02T10:00:00+08:00');
const opened: TestDatabase[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) await db.close();
});

function flowSaying(template: string, subject?: string) {
  return FlowSchema.parse({
    id: 'hello',
    name: 'hello',
    nodes: [
      { id: 'start', type: 'entry', trigger: { type: 'event', event: 'signup' }, next: 'hi' },
      { id: 'hi', type: 'send', channel: 'email', template, ...(subject ? { subject } : {}), next: 'done' },
      { id: 'done', type: 'exit' },
    ],
  });
}
const version = (template: string, subject?: string, id = 1): FlowVersion => ({ id, flowId: 'hello', version: id, hash: '', flow: flowSaying(template, subject), publishedAt: 0, author: 't' });
const SEND_READS = ['consent', 'device', 'email', 'externalId', 'id', 'phone', 'wechatId'];

describe("a stepping batch reads only the customer fields its send nodes use", () => {
  it('names consent, addresses and external id, plus the fields its messages name', () => {
    expect(customerFieldsReadBy(version('{{customer.name}}，好久不见'))).toEqual([...SEND_READS, 'name'].sort());
    expect(customerFieldsReadBy(version('{{customer.attributes.gender}}', '{{customer.city}}'))).toEqual([...SEND_READS, 'attributes', 'city'].sort());
    expect(customerFieldsReadByAll([version('hi {{customer.name}}', undefined, 1), version('{{customer.tags}}', undefined, 2)])).toEqual([...SEND_READS, 'name', 'tags'].sort());
  });

  it('reads every field when a message names {{customer}} itself or a field it does not know', () => {
    expect(customerFieldsReadBy(version('{{customer}}'))).toBeNull();
    expect(customerFieldsReadBy(version('{{customer.nick}}'))).toBeNull();
    expect(customerFieldsReadByAll([version('{{customer.name}}', undefined, 1), version('{{customer}}', undefined, 2)])).toBeNull();
  });

  it('gives the named fields the values a full read gives; deleted customers are left out either way', async () => {
    const db = await openTestDatabase('sqlite');
    opened.push(db);
    const ids = await addCustomers(db.dataSource, [{ externalId: 'a1', name: '王倩', tags: ['vip'] }, { externalId: 'a2', phone: null }, { externalId: 'a3' }], T0);
    await executeBatch(db.dataSource, [{ sql: 'UPDATE customers SET deleted_at = ? WHERE id = ?', params: [T0, ids[2]] }]);
    const store = new TypeOrmJourneyStore(db.dataSource, defaultShopConfig);
    const all = await store.customers(ids);
    const some = await store.customers(ids, ['consent', 'externalId', 'id', 'name', 'phone']);
    expect([...some.keys()]).toEqual([...all.keys()]);
    expect(some.size).toBe(2);
    for (const [id, c] of all) {
      const s = some.get(id)!;
      expect([s.id, s.externalId, s.name, s.phone, s.consent]).toEqual([c.id, c.externalId, c.name, c.phone, c.consent]);
      expect([s.tags, s.attributes, s.province]).toEqual([[], {}, null]);
    }
  });

  it('in a stepping batch whose message names only {{customer.name}}: no tags, attributes, province or city read, the same message sent', async () => {
    const db = await openTestDatabase('sqlite');
    opened.push(db);
    const prepared = recordPreparedStatements(db.dataSource);
    const clock = new VirtualClock(T0);
    const rt = createEngineRuntime(db.dataSource, openWorkspace(tempDir('rekindle-customer-fields-rules-')), clock, { batchSize: 10 });
    await rt.flows.publish(flowSaying('{{customer.name}}，好久不见'), 'test', T0 - 1);
    const ids = await addCustomers(db.dataSource, [{ externalId: 'b1', name: '王倩', tags: ['vip'] }, { externalId: 'b2', name: '李雷' }], T0);
    const events = [];
    for (const id of ids) events.push(await addEvent(db.dataSource, id, 'signup', {}, T0));
    await rt.engine.onEvents(events);
    clock.advance(MS_PER_HOUR);
    await rt.engine.tick();
    const sent = await queryRows<{ body: string }>(db.dataSource, 'SELECT body FROM sends ORDER BY customer_id');
    expect(sent.map((r) => r.body)).toEqual(['王倩，好久不见', '李雷，好久不见']);
    const reads = prepared.filter((sql) => /FROM customers WHERE id (BETWEEN|IN)/.test(sql));
    expect(reads.length).toBeGreaterThan(0);
    for (const sql of reads) expect(sql).not.toMatch(/\b(tags|attributes|province|city)\b/);
  });
});
