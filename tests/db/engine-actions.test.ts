import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MS_PER_HOUR, VirtualClock } from '../../server/src/core/clock.js';
import { FlowSchema } from '../../server/src/core/flow/schema.js';
import { RuleSet } from '../../server/src/core/rules/rule-set.js';
import { defaultShopConfig } from '../../server/src/core/shop-config.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { createEngineRuntime, type EngineRuntime } from '../../server/src/runtime/engine-runtime.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { addCustomers, addEvent } from '../support/shop-fixtures.js';

const T0 = Date.parse('2026-11-20T02:00:00Z');

/** Tag and attribute actions of a whole batch land in one set-based write per table, in the batch's transaction. */
describe.each(DIALECTS)('action nodes change the customer (batch writes) on %s', (dialect) => {
  let db: TestDatabase;
  let rt: EngineRuntime;
  const clock = new VirtualClock(T0);

  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    rt = createEngineRuntime(db.dataSource, { rulesDir: 'rules', shop: defaultShopConfig }, clock, { rules: RuleSet.fromDefinitions([]), batchSize: 3 });
    const flow = FlowSchema.parse({
      id: 'tagger',
      name: 'tagger',
      nodes: [
        { id: 'start', type: 'entry', trigger: { type: 'event', event: 'vip' }, next: 'tag' },
        { id: 'tag', type: 'action', action: { kind: 'addTag', tag: 'vip' }, next: 'mark' },
        { id: 'mark', type: 'action', action: { kind: 'setAttribute', name: 'tier', value: 'gold' }, next: 'done' },
        { id: 'done', type: 'exit' },
      ],
    });
    await rt.flows.publish(flow, 'test', T0 - MS_PER_HOUR);
  });
  afterAll(async () => db?.close());

  it('adds the tag and the attribute to every customer of the batch, and keeps the tag fact current', async () => {
    const ids = await addCustomers(db.dataSource, [1, 2, 3, 4, 5].map((i) => ({ externalId: `t${i}`, tags: ['old'] })), T0);
    const events = [];
    for (const id of ids) events.push(await addEvent(db.dataSource, id, 'vip', {}, T0));
    await rt.engine.onEvents(events);
    await rt.engine.tick();
    const rows = await queryRows<{ id: number; tags: string; attributes: string }>(db.dataSource, 'SELECT id, tags, attributes FROM customers ORDER BY id');
    expect(rows.map((r) => JSON.parse(r.tags))).toEqual(ids.map(() => ['old', 'vip']));
    expect(rows.map((r) => JSON.parse(r.attributes).tier)).toEqual(ids.map(() => 'gold'));
    const facts = await queryRows<{ tags: string }>(db.dataSource, 'SELECT tags FROM customer_facts ORDER BY customer_id');
    expect(facts).toHaveLength(ids.length);
    expect(facts.every((f) => String(f.tags).includes('vip') && String(f.tags).includes('old'))).toBe(true);
  });
});
