import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { oldestOutboxDueAt, readOperationsSnapshot } from '../../server/src/persistence/operations-snapshot.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { insertCustomer, insertSend } from '../support/outbox-fixtures.js';

const NOW = Date.parse('2026-11-20T12:00:00Z');

describe.each(DIALECTS)('what /metrics and readiness read from the database, on %s', (dialect) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(dialect);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('counts messages by channel, status and held-back reason, and dates the oldest due one', async () => {
    const ds = db.dataSource;
    expect(await readOperationsSnapshot(ds, NOW)).toEqual({ sends: [], dueJourneys: 0, oldestDueJourneyAt: null, outboxDue: 0, oldestOutboxDueAt: null, inboxPending: 0, oldestInboxAt: null });
    const c = await insertCustomer(ds, { externalId: 'c1', email: 'c1@example.com' });
    await insertSend(ds, { customerId: c, channel: 'sms', status: 'sent', sentAt: NOW - 5000 });
    await insertSend(ds, { customerId: c, channel: 'sms', status: 'sent', sentAt: NOW - 4000 });
    await insertSend(ds, { customerId: c, channel: 'sms', status: 'blocked', reason: 'capped:sms-november' });
    await insertSend(ds, { customerId: c, channel: 'email', status: 'queued', scheduledAt: NOW - 60_000 }); // due for a minute
    await insertSend(ds, { customerId: c, channel: 'email', status: 'queued', scheduledAt: NOW - 120_000, nextAttemptAt: NOW - 30_000 }); // retry due 30 s ago
    await insertSend(ds, { customerId: c, channel: 'email', status: 'queued', scheduledAt: NOW + 60_000 }); // not due yet
    const s = await readOperationsSnapshot(ds, NOW);
    expect(s.sends.sort((a, b) => `${a.channel}${a.status}`.localeCompare(`${b.channel}${b.status}`))).toEqual([
      { channel: 'email', status: 'queued', reason: null, count: 3 },
      { channel: 'sms', status: 'blocked', reason: 'capped:sms-november', count: 1 },
      { channel: 'sms', status: 'sent', reason: null, count: 2 },
    ]);
    expect(s).toMatchObject({ outboxDue: 2, oldestOutboxDueAt: NOW - 60_000 });
    expect(await oldestOutboxDueAt(ds, NOW)).toBe(NOW - 60_000);
  });
});
