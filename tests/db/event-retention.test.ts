import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { fixedClock, MS_PER_DAY } from '../../server/src/core/clock.js';
import { FlowSchema } from '../../server/src/core/flow/schema.js';
import { defaultShopConfig } from '../../server/src/core/shop-config.js';
import { DEFAULT_CLIENT, recordEvents, type NewCustomerEvent } from '../../server/src/persistence/event-log.js';
import { FlowRepository } from '../../server/src/persistence/flow-repository.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { writeTransaction } from '../../server/src/persistence/write-transaction.js';
import { runEventRetention } from '../../server/src/runtime/event-retention-run.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { addCustomers, TZ } from '../support/shop-fixtures.js';
import { tempDir } from '../support/temp-dirs.js';

const NOW = Date.parse('2027-03-01T04:00:00Z');
const daysAgo = (d: number) => NOW - d * MS_PER_DAY;

/** A flow with an experiment (responses: order_paid) and an answer window of 3 days. */
const launch = FlowSchema.parse({
  id: 'launch',
  name: 'Launch',
  nodes: [
    { id: 'start', type: 'entry', trigger: { type: 'event', event: 'signed_up' }, next: 'ab' },
    { id: 'ab', type: 'split', arms: [{ id: 'a', weight: 50, next: 'answer' }, { id: 'b', weight: 50, holdout: true, next: 'done' }], experiment: { id: 'launch', responses: [{ event: 'order_paid' }], window: '10d' } },
    { id: 'answer', type: 'waitForEvent', events: ['click'], within: '3d', responded: 'done', timedOut: 'done' },
    { id: 'done', type: 'exit' },
  ],
});

const ids = async (ds: DataSource) => (await queryRows(ds, 'SELECT idempotency_key FROM customer_events ORDER BY id')).map((r) => String(r.idempotency_key));
const consumed = async (ds: DataSource) => (await queryRows(ds, 'SELECT e.idempotency_key FROM consumed_events c JOIN customer_events e ON e.id = c.event_id ORDER BY c.event_id')).map((r) => String(r.idempotency_key));
const count = async (ds: DataSource, table: string) => Number((await queryRows(ds, `SELECT COUNT(*) AS n FROM ${table}`))[0].n);

describe.each(DIALECTS)('event retention on %s', (dialect) => {
  let db: TestDatabase;
  let rulesDir: string;
  let c: number[];
  const ev = (customerId: number, key: string, type: string, occurredAt: number): NewCustomerEvent => ({ customerId, type, properties: { k: key }, occurredAt, idempotencyKey: key, clientId: DEFAULT_CLIENT });
  /** Stores events as arriving at `receivedAt`, and (unless pending) has the engine take them, writing consumed_events at `receivedAt`. */
  const arrive = async (receivedAt: number, events: NewCustomerEvent[], pending = false) => {
    const r = await writeTransaction(db.dataSource, (m) => recordEvents(m, events, receivedAt));
    if (pending) return;
    for (const e of r.inserted) {
      await db.dataSource.query(dialect === 'postgres' ? 'DELETE FROM event_inbox WHERE event_id = $1' : 'DELETE FROM event_inbox WHERE event_id = ?', [e.id]);
      await db.dataSource.query(dialect === 'postgres' ? 'INSERT INTO consumed_events (event_id, consumed_at) VALUES ($1, $2)' : 'INSERT INTO consumed_events (event_id, consumed_at) VALUES (?, ?)', [e.id, receivedAt]);
    }
  };
  const workspace = () => ({ rulesDir, shop: { ...defaultShopConfig, timezone: TZ } });
  const run = (eventDays: number | null, consumedDays: number | null, dryRun: boolean, batch = 2) => runEventRetention(db.dataSource, workspace(), fixedClock(NOW), { eventDays, consumedDays, batch }, dryRun);

  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    rulesDir = tempDir('rekindle-retention-rules-');
    mkdirSync(rulesDir, { recursive: true });
    const ds = db.dataSource;
    c = await addCustomers(ds, [{ externalId: 'c1' }, { externalId: 'c2' }, { externalId: 'c3' }, { externalId: 'c4' }]);
    await new FlowRepository(ds).publish(launch, 'test', daysAgo(200));
    const [v] = await queryRows(ds, "SELECT id FROM flow_versions WHERE flow_id = 'launch'");
    const q = (sql: string, params: unknown[]) => ds.query(dialect === 'postgres' ? sql.replace(/\?/g, (() => { let i = 0; return () => `$${++i}`; })()) : sql, params);
    // c2 is in a running journey entered 120 days ago; c3 was assigned to the experiment 150 days ago (its journey ended).
    await q("INSERT INTO enrollments (flow_id, version_id, customer_id, journey_key, node_id, status, entered_at, node_entered_at, wake_at, step_count, entry_key, updated_at) VALUES ('launch', ?, ?, '', 'answer', 'active', ?, ?, NULL, 1, 'e-c2', ?)", [Number(v.id), c[1], daysAgo(120), daysAgo(120), daysAgo(120)]);
    await q("INSERT INTO enrollments (flow_id, version_id, customer_id, journey_key, node_id, status, entered_at, node_entered_at, wake_at, step_count, entry_key, updated_at) VALUES ('launch', ?, ?, '', 'done', 'completed', ?, ?, NULL, 2, 'e-c3', ?)", [Number(v.id), c[2], daysAgo(150), daysAgo(150), daysAgo(150)]);
    const [en] = await queryRows(ds, "SELECT id FROM enrollments WHERE entry_key = 'e-c3'");
    await q("INSERT INTO split_assignments (flow_id, node_id, customer_id, arm, enrollment_id, assigned_at) VALUES ('launch', 'ab', ?, 'a', ?, ?)", [c[2], Number(en.id), daysAgo(150)]);

    await arrive(daysAgo(100), [
      ev(c[0], 'old-view', 'page_view', daysAgo(100)),
      ev(c[0], 'old-unsub', 'unsubscribe', daysAgo(100)),
      ev(c[1], 'old-in-journey', 'page_view', daysAgo(100)),
      ev(c[2], 'old-response', 'order_paid', daysAgo(100)),
      ev(c[2], 'old-other', 'page_view', daysAgo(100)),
    ]);
    await arrive(daysAgo(100), [ev(c[3], 'old-pending', 'page_view', daysAgo(100))], true);
    await arrive(daysAgo(75), [ev(c[0], 'view-75', 'page_view', daysAgo(75))]);
    await arrive(daysAgo(10), [ev(c[0], 'view-10', 'page_view', daysAgo(10))]);
    // History imported yesterday: happened long ago, arrived recently (its key must still catch a retry).
    await arrive(daysAgo(1), [ev(c[3], 'history', 'page_view', daysAgo(300))]);
  });

  afterAll(async () => {
    await db?.close();
  });

  it("never cuts into the policy's give-up window: the cut-off moves back and says why", async () => {
    writeFileSync(join(rulesDir, 'policy.yaml'), 'giveUp:\n  after: 3\n  within: 90d\n  pauseFor: 30d\n');
    try {
      const r = await run(60, null, true);
      expect(r.plan.eventsBefore).toBe(daysAgo(90));
      expect(r.plan.configuredEventsBefore).toBe(daysAgo(60));
      expect(r.clamped).toBe('events are kept from 2026-12-01 12:00 +08:00, not 2026-12-31 12:00 +08:00: rules/policy.yaml giveUp.within 90d (customers\' last answers) reads 90 day(s) back, longer than the configured retention');
      expect(r.counts.events).toBe(2); // view-75 is inside the 90 days
    } finally {
      writeFileSync(join(rulesDir, 'policy.yaml'), '');
    }
  });

  it('a dry run counts per table and changes nothing', async () => {
    const before = { events: await ids(db.dataSource), consumed: await consumed(db.dataSource), inbox: await count(db.dataSource, 'event_inbox') };
    const r = await run(60, 5, true);
    expect(r.dryRun).toBe(true);
    // old-view, old-other and view-75 go with their consumed rows; those of old-unsub, old-in-journey,
    // old-response and view-10 are older than 5 days (their events stay).
    expect(r.counts).toEqual({ events: 3, consumedEvents: 7 });
    expect(r.eventsBefore).toBe('2026-12-31 12:00 +08:00');
    expect({ events: await ids(db.dataSource), consumed: await consumed(db.dataSource), inbox: await count(db.dataSource, 'event_inbox') }).toEqual(before);
  });

  it('deletes exactly what is older than the cut-off, and keeps what a journey, an experiment, the inbox or an opt-out needs', async () => {
    // One range over every id (batch 100): what stays is kept by the rules of what may go, not by where the walk stops.
    const r = await run(60, null, false, 100);
    expect(r.counts).toEqual({ events: 3, consumedEvents: 3 });
    expect(await ids(db.dataSource)).toEqual(['old-unsub', 'old-in-journey', 'old-response', 'old-pending', 'view-10', 'history']);
    // A pruned event takes its consumed_events row; the others keep theirs.
    expect(await consumed(db.dataSource)).toEqual(['old-unsub', 'old-in-journey', 'old-response', 'view-10', 'history']);
    // Again: nothing more to do.
    expect((await run(60, null, false)).counts).toEqual({ events: 0, consumedEvents: 0 });
  });

  it("prunes consumed_events on their own retention, keeping their events", async () => {
    const r = await run(null, 5, false);
    expect(r.counts).toEqual({ events: 0, consumedEvents: 4 });
    expect(await consumed(db.dataSource)).toEqual(['history']);
    expect(await ids(db.dataSource)).toContain('view-10');
  });

  it('dedup still refuses a repeated delivery inside the window after a prune', async () => {
    await run(60, 5, false);
    const again = await writeTransaction(db.dataSource, (m) => recordEvents(m, [ev(c[0], 'view-10', 'page_view', daysAgo(10)), ev(c[3], 'history', 'page_view', daysAgo(300))], NOW, { allOrNothing: true }));
    expect(again.outcomes).toEqual(['duplicate', 'duplicate']);
    expect(again.inserted).toHaveLength(0);
    // Past the retention the key went with its event: a repeat is stored as a new event (docs/security.md, Data retention).
    const late = await writeTransaction(db.dataSource, (m) => recordEvents(m, [ev(c[0], 'old-view', 'page_view', daysAgo(100))], NOW, { allOrNothing: true }));
    expect(late.outcomes).toEqual(['inserted']);
  });
});
