import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DataSource } from 'typeorm';
import { EventIntakeRunner } from '../../server/src/api/journeys/event-intake.runner.js';
import { systemClock } from '../../server/src/core/clock.js';
import { FlowSchema } from '../../server/src/core/flow/schema.js';
import type { EngineObserver } from '../../server/src/core/observability/engine-observer.js';
import { openWorkspace } from '../../server/src/config/workspace.js';
import { DEFAULT_WAL_AUTOCHECKPOINT } from '../../server/src/persistence/data-source.js';
import { DEFAULT_CLIENT, recordEvents } from '../../server/src/persistence/event-log.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { setProcessWriteLock, writeTransaction } from '../../server/src/persistence/write-transaction.js';
import { createEngineRuntime } from '../../server/src/runtime/engine-runtime.js';
import { EngineThreadHost } from '../../server/src/runtime/engine-thread-host.js';
import { SharedWriteLock } from '../../server/src/runtime/shared-write-lock.js';
import { WAL_BACKSTOP_PAGES } from '../../server/src/runtime/wal-checkpointer.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';
import { addCustomers } from '../support/shop-fixtures.js';

/**
 * On a SQLite file the server's event intake runs in an engine thread. If that thread dies, the
 * request thread must take the work over: events stored afterwards still start their journeys,
 * and writes no longer wait for a lock the dead thread can never hand back.
 */
// Worker threads run compiled JavaScript: the thread's entry from dist/ (npm test builds it first).
const THREAD_ENTRY = new URL('../../dist/server/src/runtime/engine-thread.js', import.meta.url);

const reminder = FlowSchema.parse({
  id: 'fallback-reminder',
  name: 'Reminder',
  nodes: [
    { id: 'start', type: 'entry', trigger: { type: 'event', event: 'order_created', key: 'orderId' }, reentry: { policy: 'always' }, next: 'wait' },
    { id: 'wait', type: 'wait', duration: '2h', next: 'done' },
    { id: 'done', type: 'exit' },
  ],
});

const silentObserver: EngineObserver = { ticked: () => undefined, tickFailed: () => undefined, eventsHandled: () => undefined };

describe('engine thread fallback (SQLite file)', () => {
  let db: TestDatabase;
  let customer: number;
  let n = 0;
  const enrolled = async (ds: DataSource) => Number((await queryRows(ds, "SELECT COUNT(*) AS n FROM enrollments WHERE flow_id = 'fallback-reminder'"))[0].n);
  const storeOrder = (ds: DataSource) => {
    const orderId = `fb-${n++}`;
    const now = Date.now();
    return writeTransaction(ds, (m) => recordEvents(m, [{ customerId: customer, type: 'order_created', properties: { orderId }, occurredAt: now, idempotencyKey: `k-${orderId}`, clientId: DEFAULT_CLIENT }], now));
  };

  beforeAll(async () => {
    db = await openTestDatabase('sqlite');
    [customer] = await addCustomers(db.dataSource, [{ externalId: 'fallback-1' }], Date.now());
    const runtime = createEngineRuntime(db.dataSource, openWorkspace('rules'), systemClock);
    await runtime.flows.publish(reminder, 'test', Date.now() - 1000);
  });
  afterAll(async () => {
    if (db) setProcessWriteLock(db.dataSource, null);
    await db?.close();
  });

  it('sets the thread’s connection back to the default automatic checkpoint when asked (the WAL checkpointer stopped)', async () => {
    const lock = new SharedWriteLock();
    const host = new EngineThreadHost(
      { database: db.target, writeLock: lock.buffer, rulesDir: 'rules', tickMs: 3_600_000, pollMs: 3_600_000, planner: false, walAutocheckpoint: WAL_BACKSTOP_PAGES },
      silentObserver,
      () => undefined,
      () => undefined,
      THREAD_ENTRY,
    );
    try {
      await host.ready;
      // Asked for the value it already has, it answers the backstop the thread started with.
      expect(await host.setWalAutocheckpoint(WAL_BACKSTOP_PAGES)).toBe(WAL_BACKSTOP_PAGES);
      expect(await host.setWalAutocheckpoint(DEFAULT_WAL_AUTOCHECKPOINT)).toBe(DEFAULT_WAL_AUTOCHECKPOINT);
    } finally {
      await host.close();
    }
  }, 60_000);

  it('the request thread drains the inbox itself once the engine thread has died, and writes without the dead thread’s lock', async () => {
    expect(existsSync(fileURLToPath(THREAD_ENTRY))).toBe(true);
    const ds = db.dataSource;
    const lock = new SharedWriteLock();
    setProcessWriteLock(ds, lock.forRequestThread());
    let downs = 0;
    const logged: string[] = [];
    const host = new EngineThreadHost(
      { database: db.target, writeLock: lock.buffer, rulesDir: 'rules', tickMs: 3_600_000, pollMs: 3_600_000, planner: false },
      silentObserver,
      (_level, message) => logged.push(message),
      () => {
        downs++;
        setProcessWriteLock(ds, null);
        lock.break();
      },
      THREAD_ENTRY,
    );
    const runner = new EventIntakeRunner(createEngineRuntime(ds, openWorkspace('rules'), systemClock), host);
    try {
      await host.ready;
      expect(runner.thread).toBe(host);

      // While it runs, the thread enrolls (its own drain at start may take the event before ours).
      await storeOrder(ds);
      await runner.drainNow();
      expect(await enrolled(ds)).toBe(1);

      // The thread dies (as after an uncaught error in it).
      await (host as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
      // The 'exit' event comes a moment after terminate() resolves (later on a busy machine).
      for (let i = 0; i < 200 && host.state !== 'exited'; i++) await new Promise((r) => setTimeout(r, 50));
      expect(host.state).toBe('exited');
      expect(downs).toBe(1);
      expect(host.usable).toBe(false);
      expect(runner.thread).toBeNull();
      expect(logged.join('\n')).toMatch(/engine thread exited .*the request thread runs the intake/);

      // Stored afterwards: acted on by this thread, nothing left in the inbox.
      await storeOrder(ds);
      await storeOrder(ds);
      expect(await runner.drainNow()).toMatchObject({ events: 2, enrolled: 2 });
      expect(await enrolled(ds)).toBe(3);
      expect(Number((await queryRows(ds, 'SELECT COUNT(*) AS n FROM event_inbox'))[0].n)).toBe(0);
    } finally {
      await runner.onModuleDestroy();
    }
  }, 60_000);
});
