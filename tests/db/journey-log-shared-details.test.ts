import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { MS_PER_HOUR, VirtualClock } from '../../server/src/core/clock.js';
import { FlowSchema } from '../../server/src/core/flow/schema.js';
import { openWorkspace } from '../../server/src/config/workspace.js';
import { BatchUnit } from '../../server/src/persistence/batch-unit.js';
import { customerJourney } from '../../server/src/persistence/journey-report.js';
import type { SqlOp } from '../../server/src/persistence/sql-batch.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { createEngineRuntime } from '../../server/src/runtime/engine-runtime.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { addCustomers, addEvent } from '../support/shop-fixtures.js';
import { tempDir } from '../support/temp-dirs.js';

const T0 = Date.parse('2026-11-02T10:00:00+08:00');
const rules = tempDir('rekindle-shared-details-rules-');
cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });
const opened: TestDatabase[] = [];
// Each test's databases are closed when it ends, before tests/support/temp-dirs.ts removes their folders.
afterEach(async () => {
  for (const db of opened.splice(0)) await db.close();
});

describe.each(DIALECTS)('journey log: a rule explanation shared by customers alike, on %s', (dialect) => {
  it('is stored once and still read back in full for every customer (switch and condition)', async () => {
    const db = await openTestDatabase(dialect);
    opened.push(db);
    const clock = new VirtualClock(T0);
    const rt = createEngineRuntime(db.dataSource, openWorkspace(rules), clock, { batchSize: 2 });
    const flow = alikeFlow();
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
    // The switch's detail names its cases' rule explanations, each stored once as a row of its own:
    // the switch's, its two cases' explanations, the condition's.
    const [{ n }] = await queryRows<{ n: number }>(db.dataSource, 'SELECT COUNT(*) AS n FROM journey_details');
    expect(Number(n)).toBe(4);
    const switchKey = logged.find((r) => r.node_id === 'kind')!.detail_key;
    const [stored] = await queryRows<{ detail: string }>(db.dataSource, 'SELECT detail FROM journey_details WHERE key = ?', [switchKey]);
    const cases = (JSON.parse(stored.detail) as { cases: Record<string, unknown>[] }).cases;
    expect(cases.map((c) => Object.keys(c))).toEqual([
      ['case', 'matched', '$part'],
      ['case', 'matched', '$part'],
    ]);

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
      // Read back key for key as it was logged: label and verdict, then the explanation.
      expect(kind.cases.map((c) => Object.keys(c))).toEqual([
        ['case', 'matched', 'rule', 'facts', 'conditions'],
        ['case', 'matched', 'rule', 'facts', 'conditions'],
      ]);
      expect(steps.find((s) => s.node === 'new')!.detail).toMatchObject({ rule: '(inline)', facts: { orderCount: 0 }, conditions: { kind: 'all', result: true } });
    }
  });

  it("a downgrade past the journey-details migration puts each switch case's explanation back into the log row", async () => {
    const db = await openTestDatabase(dialect);
    opened.push(db);
    const clock = new VirtualClock(T0);
    const rt = createEngineRuntime(db.dataSource, openWorkspace(rules), clock, { batchSize: 2 });
    await rt.flows.publish(alikeFlow(), 'test', T0 - 1);
    const [id] = await addCustomers(db.dataSource, [{ externalId: 'd1' }], T0);
    await rt.engine.onEvents([await addEvent(db.dataSource, id, 'signup', {}, T0)]);
    clock.advance(MS_PER_HOUR);
    await rt.engine.tick();
    const before = (await customerJourney(db.dataSource, id))!.journeys[0].steps.find((s) => s.node === 'kind')!.detail;

    while ((await db.dataSource.query('SELECT name FROM migrations')).some((m: { name: string }) => m.name === 'JourneyDetails1764996700000')) await db.dataSource.undoLastMigration();
    const [row] = await queryRows<{ detail: string }>(db.dataSource, "SELECT detail FROM journey_steps WHERE node_id = 'kind'");
    expect(JSON.parse(row.detail)).toEqual(before);
    expect(row.detail).not.toContain('$part');
  });

  it('is written by the first batch of a tick that names it, and again by a later tick when it is gone', async () => {
    const db = await openTestDatabase(dialect);
    opened.push(db);
    const clock = new VirtualClock(T0);
    const rt = createEngineRuntime(db.dataSource, openWorkspace(rules), clock, { batchSize: 2 });
    await rt.flows.publish(alikeFlow(), 'test', T0 - 1);
    // Per batch commit (the write carrying its journey-log rows): how many journey_details inserts it carries.
    const detailWrites: number[] = [];
    const original = BatchUnit.prototype.write;
    const spy = jest.spyOn(BatchUnit.prototype, 'write').mockImplementation(function (this: BatchUnit, ops: SqlOp[]) {
      if (ops.some((op) => op.sql.startsWith('INSERT INTO journey_steps'))) detailWrites.push(ops.filter((op) => op.sql.startsWith('INSERT INTO journey_details')).length);
      original.call(this, ops);
    });
    try {
      const enter = async (prefix: string) => {
        const ids = await addCustomers(db.dataSource, [1, 2, 3, 4].map((i) => ({ externalId: `${prefix}${i}` })), clock.now());
        const events = [];
        for (const id of ids) events.push(await addEvent(db.dataSource, id, 'signup', {}, clock.now()));
        await rt.engine.onEvents(events);
        return ids;
      };
      await enter('b');
      clock.advance(MS_PER_HOUR);
      detailWrites.length = 0;
      await rt.engine.tick();
      // Two batches of two alike customers in one tick: only the first writes the two details.
      expect(detailWrites.filter((n) => n > 0)).toHaveLength(1);
      expect(detailWrites.length).toBeGreaterThanOrEqual(2);

      // Gone between ticks (another process emptied the table): the next tick writes them again.
      await db.dataSource.query('DELETE FROM journey_details');
      const later = await enter('c');
      clock.advance(MS_PER_HOUR);
      detailWrites.length = 0;
      await rt.engine.tick();
      expect(detailWrites.filter((n) => n > 0)).toHaveLength(1);
      for (const id of later) {
        const steps = (await customerJourney(db.dataSource, id))!.journeys[0].steps;
        expect(steps.find((s) => s.node === 'kind')!.detail).toMatchObject({ cases: [{ case: 'big spenders', matched: false }, { case: 'everyone', matched: true }] });
        expect(steps.find((s) => s.node === 'new')!.detail).toMatchObject({ rule: '(inline)', facts: { orderCount: 0 } });
      }
    } finally {
      spy.mockRestore();
    }
  });
});

/** A switch and a condition whose explanations are the same for customers without orders. */
function alikeFlow() {
  return FlowSchema.parse({
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
}
