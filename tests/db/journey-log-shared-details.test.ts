import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { MS_PER_HOUR, VirtualClock } from '../../server/src/core/clock.js';
import { FlowSchema } from '../../server/src/core/flow/schema.js';
import { openWorkspace } from '../../server/src/config/workspace.js';
import { customerJourney } from '../../server/src/persistence/journey-report.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { createEngineRuntime } from '../../server/src/runtime/engine-runtime.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { addCustomers, addEvent } from '../support/shop-fixtures.js';

const T0 = Date.parse('2026-11-02T10:00:00+08:00');
const rules = mkdtempSync(join(tmpdir(), 'rekindle-shared-details-rules-'));
cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });
const opened: TestDatabase[] = [];
afterAll(async () => {
  for (const db of opened) await db.close();
});

describe.each(DIALECTS)('journey log: a rule explanation shared by customers alike, on %s', (dialect) => {
  it('is stored once and still read back in full for every customer (switch and condition)', async () => {
    const db = await openTestDatabase(dialect);
    opened.push(db);
    const clock = new VirtualClock(T0);
    const rt = createEngineRuntime(db.dataSource, openWorkspace(rules), clock, { batchSize: 2 });
    const flow = FlowSchema.parse({
      id: 'alike',
      name: 'customers alike in their facts',
      nodes: [
        { id: 'start', type: 'entry', trigger: { type: 'event', event: 'signup' }, next: 'kind' },
        {
          id: 'kind',
          type: 'switch',
          cases: [
            { label: 'big spenders', conditions: { all: [{ fact: 'orderCount', operator: 'greaterThanInclusive', value: 5 }] }, next: 'done' },
            { label: 'everyone', conditions: { all: [{ fact: 'orderCount', operator: 'greaterThanInclusive', value: 0 }] }, next: 'new' },
          ],
          else: 'done',
        },
        { id: 'new', type: 'condition', conditions: { all: [{ fact: 'orderCount', operator: 'equal', value: 0 }] }, yes: 'done', no: 'done' },
        { id: 'done', type: 'exit' },
      ],
    });
    await rt.flows.publish(flow, 'test', T0 - 1);
    // Four customers without orders: alike in every fact the rules read; batches of 2, so the detail is written by two batches.
    const ids = await addCustomers(db.dataSource, [1, 2, 3, 4].map((i) => ({ externalId: `a${i}` })), T0);
    const events = [];
    for (const id of ids) events.push(await addEvent(db.dataSource, id, 'signup', {}, T0));
    await rt.engine.onEvents(events);
    clock.advance(MS_PER_HOUR);
    await rt.engine.tick();

    const logged = await queryRows(db.dataSource, "SELECT node_id, detail, detail_key FROM journey_steps WHERE node_id IN ('kind', 'new') ORDER BY id");
    expect(logged).toHaveLength(8);
    for (const r of logged) {
      expect(r.detail).toBeNull();
      expect(r.detail_key).not.toBeNull();
    }
    // One stored detail per distinct explanation: the switch's and the condition's.
    expect(new Set(logged.map((r) => r.detail_key)).size).toBe(2);
    const [{ n }] = await queryRows<{ n: number }>(db.dataSource, 'SELECT COUNT(*) AS n FROM journey_details');
    expect(Number(n)).toBe(2);

    for (const id of ids) {
      const journey = await customerJourney(db.dataSource, id);
      const steps = journey!.journeys[0].steps;
      expect(steps.map((s) => [s.node, s.outcome])).toEqual([
        ['start', 'entered'],
        ['kind', 'case:everyone'],
        ['new', 'yes'],
        ['done', 'exited:exit:done'],
      ]);
      const kind = steps.find((s) => s.node === 'kind')!.detail as { cases: { case: string; matched: boolean; rule: string; facts: Record<string, unknown>; conditions: unknown }[] };
      expect(kind.cases.map((c) => [c.case, c.matched])).toEqual([['big spenders', false], ['everyone', true]]);
      expect(kind.cases[1]).toMatchObject({ rule: '(inline)', facts: { orderCount: 0 }, conditions: { kind: 'all', result: true } });
      expect(steps.find((s) => s.node === 'new')!.detail).toMatchObject({ rule: '(inline)', facts: { orderCount: 0 }, conditions: { kind: 'all', result: true } });
    }
  });
});
