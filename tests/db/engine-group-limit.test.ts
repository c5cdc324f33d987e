import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { MS_PER_DAY, MS_PER_HOUR, VirtualClock } from '../../server/src/core/clock.js';
import { FlowSchema } from '../../server/src/core/flow/schema.js';
import { openWorkspace } from '../../server/src/config/workspace.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { createEngineRuntime } from '../../server/src/runtime/engine-runtime.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { addCustomers, addEvent } from '../support/shop-fixtures.js';
import { tempDir } from '../support/temp-dirs.js';

const T0 = Date.parse('2026-11-02T10:00:00+08:00');
const rules = tempDir('rekindle-limit-rules-');
cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });
const opened: TestDatabase[] = [];
// Each test's databases are closed when it ends, before tests/support/temp-dirs.ts removes their folders.
afterEach(async () => {
  for (const db of opened.splice(0)) await db.close();
});

/** Five customers enter a flow whose branch is capped by a limit node; batches of 2 so counts cross batches. */
async function run(dialect: (typeof DIALECTS)[number], limit: Record<string, unknown>, days = 1) {
  const db = await openTestDatabase(dialect);
  opened.push(db);
  const clock = new VirtualClock(T0);
  const rt = createEngineRuntime(db.dataSource, openWorkspace(rules), clock, { batchSize: 2 });
  const flow = FlowSchema.parse({
    id: 'capped-branch',
    name: 'capped branch',
    nodes: [
      { id: 'start', type: 'entry', trigger: { type: 'event', event: 'signup' }, next: 'vip' },
      { id: 'vip', type: 'condition', conditions: { all: [{ fact: 'orderCount', operator: 'greaterThanInclusive', value: 0 }] }, yes: 'cap', no: 'done' },
      { id: 'cap', type: 'limit', next: 'hello', ...limit },
      { id: 'hello', type: 'send', channel: 'email', category: 'care', template: 'hi', next: 'done' },
      { id: 'other', type: 'exit' },
      { id: 'done', type: 'exit' },
    ].filter((n) => n.id !== 'other' || limit.overflow === 'other'),
  });
  await rt.flows.publish(flow, 'test', T0 - 1);
  const ids = await addCustomers(db.dataSource, [1, 2, 3, 4, 5].map((i) => ({ externalId: `g${i}` })), T0);
  const events = [];
  for (const id of ids) events.push(await addEvent(db.dataSource, id, 'signup', {}, T0));
  await rt.engine.onEvents(events);
  for (let d = 0; d < days; d++) {
    await rt.engine.tick();
    clock.advance(MS_PER_DAY);
  }
  clock.advance(MS_PER_HOUR);
  await rt.engine.tick();
  const q = (sql: string) => queryRows(db.dataSource, sql);
  return { ids, q };
}

describe.each(DIALECTS)('group-size limit on a branch, on %s', (dialect) => {
  it('split: consecutive sub-groups of at most N, recorded on the journey and on its messages', async () => {
    const { q } = await run(dialect, { max: 2, mode: 'split' });
    const groups = await q("SELECT group_label AS g, COUNT(*) AS n FROM enrollments GROUP BY group_label ORDER BY group_label");
    expect(groups.map((r) => [r.g, Number(r.n)])).toEqual([['cap-1', 2], ['cap-2', 2], ['cap-3', 1]]);
    const sends = await q("SELECT group_label AS g, COUNT(*) AS n FROM sends GROUP BY group_label ORDER BY group_label");
    expect(sends.map((r) => [r.g, Number(r.n)])).toEqual([['cap-1', 2], ['cap-2', 2], ['cap-3', 1]]);
  });

  it('keep: the first N go on, the rest take the overflow branch', async () => {
    const { q } = await run(dialect, { max: 3, mode: 'keep', overflow: 'other' });
    expect(Number((await q('SELECT COUNT(*) AS n FROM sends'))[0].n)).toBe(3);
    const over = await q("SELECT COUNT(*) AS n FROM journey_steps WHERE node_id = 'cap' AND outcome = 'group-full'");
    expect(Number(over[0].n)).toBe(2);
    expect(Number((await q("SELECT COUNT(*) AS n FROM enrollments WHERE exit_reason = 'exit:other'"))[0].n)).toBe(2);
  });

  it('spread: N per day in the shop time zone, the rest wait for the next day (and say so)', async () => {
    const { q } = await run(dialect, { max: 2, mode: 'spread' }, 3);
    const perDay = await q('SELECT scheduled_at FROM sends ORDER BY scheduled_at');
    const days = perDay.map((r) => Math.floor((Number(r.scheduled_at) - T0) / MS_PER_DAY + 0.5));
    expect(days.filter((d) => d === 0)).toHaveLength(2);
    expect(perDay).toHaveLength(5);
    expect(new Set(days).size).toBe(3);
    expect(Number((await q("SELECT COUNT(*) AS n FROM journey_steps WHERE outcome = 'deferred:group-full'"))[0].n)).toBeGreaterThan(0);
  });
});
