import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { MS_PER_DAY, MS_PER_HOUR, VirtualClock } from '../../server/src/core/clock.js';
import { FlowSchema } from '../../server/src/core/flow/schema.js';
import { openWorkspace } from '../../server/src/config/workspace.js';
import { LimitSeedBound1765179031117 } from '../../server/src/persistence/migrations/1765179031117-limit-seed-bound.js';
import { executeBatch, queryRows } from '../../server/src/persistence/sql-batch.js';
import { createEngineRuntime } from '../../server/src/runtime/engine-runtime.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { addCustomers, addEvent } from '../support/shop-fixtures.js';
import { tempDir } from '../support/temp-dirs.js';

const T0 = Date.parse('2026-11-02T10:00:00+08:00');
const rules = tempDir('rekindle-limit-seed-rules-');
cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });
const opened: TestDatabase[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) await db.close();
});

const FLOW = FlowSchema.parse({
  id: 'capped-branch',
  name: 'capped branch',
  nodes: [
    { id: 'start', type: 'entry', trigger: { type: 'event', event: 'signup' }, next: 'cap' },
    { id: 'cap', type: 'limit', max: 2, mode: 'split', next: 'done' },
    { id: 'done', type: 'exit' },
  ],
});

/** `n` journey-log rows of places in `cap-1`, as a version before limit counters wrote them. */
function placesInTheLog(n: number) {
  return Array.from({ length: n }, (_, i) => ({
    sql: 'INSERT INTO journey_steps (enrollment_id, customer_id, flow_id, version_id, node_id, at, outcome, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    params: [900 + i, 900 + i, 'capped-branch', 1, 'cap', T0 - MS_PER_DAY, 'group:cap-1', null],
  }));
}

async function openDb(dialect: (typeof DIALECTS)[number]) {
  const db = await openTestDatabase(dialect);
  opened.push(db);
  return db;
}

/** Five customers reach the split limit (2 a group) in batches of 2; their groups, in customer order. */
async function groupsOfFive(db: TestDatabase): Promise<string[]> {
  const clock = new VirtualClock(T0);
  const rt = createEngineRuntime(db.dataSource, openWorkspace(rules), clock, { batchSize: 2 });
  await rt.flows.publish(FLOW, 'test', T0 - 1);
  const ids = await addCustomers(db.dataSource, [1, 2, 3, 4, 5].map((i) => ({ externalId: `s${i}` })), T0);
  const events = [];
  for (const id of ids) events.push(await addEvent(db.dataSource, id, 'signup', {}, T0));
  await rt.engine.onEvents(events);
  await rt.engine.tick();
  clock.advance(MS_PER_HOUR);
  await rt.engine.tick();
  const rows = await queryRows(db.dataSource, 'SELECT group_label AS g FROM enrollments ORDER BY customer_id');
  return rows.map((r) => String(r.g));
}

async function migration(db: TestDatabase, step: 'up' | 'down') {
  const runner = db.dataSource.createQueryRunner();
  try {
    await new LimitSeedBound1765179031117()[step](runner);
  } finally {
    await runner.release();
  }
}

describe.each(DIALECTS)('limit counters seeded from the journey log, on %s', (dialect) => {
  it('1765179031117 records the journey log\'s last id (0 for an empty log)', async () => {
    const db = await openDb(dialect);
    expect((await queryRows(db.dataSource, 'SELECT last_log_id FROM limit_seed_bound')).map((r) => Number(r.last_log_id))).toEqual([0]);
    await migration(db, 'down');
    await executeBatch(db.dataSource, placesInTheLog(3));
    const [last] = await queryRows(db.dataSource, 'SELECT MAX(id) AS id FROM journey_steps');
    await migration(db, 'up');
    expect((await queryRows(db.dataSource, 'SELECT last_log_id FROM limit_seed_bound')).map((r) => Number(r.last_log_id))).toEqual([Number(last.id)]);
  });

  it('an upgraded shop: places in the log from before counters still count (the next group is cap-2)', async () => {
    const db = await openDb(dialect);
    await migration(db, 'down');
    await executeBatch(db.dataSource, placesInTheLog(2));
    await migration(db, 'up');
    expect(await groupsOfFive(db)).toEqual(['cap-2', 'cap-2', 'cap-3', 'cap-3', 'cap-4']);
    const [c] = await queryRows(db.dataSource, "SELECT passed FROM limit_counters WHERE node_id = 'cap'");
    expect(Number(c.passed)).toBe(7);
  });

  it('a shop created with counters: log rows written since are never counted again (its seed counts nothing)', async () => {
    const db = await openDb(dialect);
    await executeBatch(db.dataSource, placesInTheLog(2));
    expect(await groupsOfFive(db)).toEqual(['cap-1', 'cap-1', 'cap-2', 'cap-2', 'cap-3']);
    const [c] = await queryRows(db.dataSource, "SELECT passed FROM limit_counters WHERE node_id = 'cap'");
    expect(Number(c.passed)).toBe(5);
  });
});
