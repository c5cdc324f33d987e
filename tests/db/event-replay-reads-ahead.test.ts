/**
 * The simulation's event replay (persistence/event-replay.ts) reads customer_events ahead of the
 * asked hour, because every read by time scans the table (no index on occurred_at). What it
 * pins: a run whose stored events are sparse is served by ONE scan (a read a day scanned the
 * table once per virtual day: bench/double11 26 times, at 1M customers ~1M rows each for none),
 * a span denser than the read's cap still gets exactly its events hour by hour (cut at an
 * instant that straddles the cap, days read by time), and events written after a read (the
 * simulated delivery's clicks) still come back in their hour, in time order.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { MS_PER_DAY, MS_PER_HOUR } from '../../server/src/core/clock.js';
import type { JourneyEvent } from '../../server/src/core/engine/ports.js';
import { StoredEventReplay } from '../../server/src/persistence/event-replay.js';
import { executeBatch } from '../../server/src/persistence/sql-batch.js';
import { addCustomers, addEvent } from '../support/shop-fixtures.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';

const FROM = Date.parse('2026-10-27T00:00:00+08:00');
const DAYS = 6;

/** What a replay must return for (a, b]: the stored events of that span in (time, id) order, read anew. */
function expected(all: JourneyEvent[], a: number, b: number): string[] {
  return all
    .filter((e) => e.occurredAt > a && e.occurredAt <= b)
    .sort((x, y) => x.occurredAt - y.occurredAt || x.id - y.id)
    .map((e) => `${e.id}@${e.occurredAt}`);
}

async function replayHourly(replay: StoredEventReplay, all: () => JourneyEvent[], onHour?: (t: number) => Promise<void>): Promise<void> {
  for (let t = FROM; t <= FROM + DAYS * MS_PER_DAY; t += MS_PER_HOUR) {
    const got = (await replay.eventsBetween(t - MS_PER_HOUR, t)).map((e) => `${e.id}@${e.occurredAt}`);
    expect(got).toEqual(expected(all(), t - MS_PER_HOUR, t));
    if (onHour) await onHour(t);
  }
}

describe.each(DIALECTS)('the event replay reads ahead on %s', (dialect) => {
  let db: TestDatabase;
  let ds: DataSource;
  let customer: number;
  const stored: JourneyEvent[] = [];
  const add = async (type: string, at: number) => {
    const e = await addEvent(ds, customer, type, { n: stored.length }, at);
    stored.push(e);
    return e;
  };

  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    ds = db.dataSource;
    [customer] = await addCustomers(ds, [{ externalId: 'replay-1' }], FROM - 30 * MS_PER_DAY);
    // The shop's past (never replayed), then a few events inside the span: some at the first
    // instant (as the demo shop's), some scattered over the days.
    for (let i = 0; i < 40; i++) await add('order_created', FROM - (i + 1) * 7 * MS_PER_HOUR);
    for (let i = 0; i < 3; i++) await add('order_paid', FROM);
    for (let i = 0; i < 9; i++) await add('order_shipped', FROM + (i * 15 + 2) * MS_PER_HOUR + 60_000 * i);
  }, 60_000);
  afterAll(async () => {
    await db?.close();
  });

  it('a span of sparse events is replayed hour by hour from one scan of the table', async () => {
    const replay = new StoredEventReplay(ds);
    await replayHourly(replay, () => stored);
    expect(replay.scans).toBe(1);
  });

  it('events written after the read (a simulated click) come back in their hour, in time order, without another scan', async () => {
    const replay = new StoredEventReplay(ds);
    const before = stored.length;
    await replayHourly(replay, () => stored, async (t) => {
      // Each day at 10:00 the "delivery" writes a click 30 minutes on, and one at the same instant as a stored event.
      if ((t - FROM) % MS_PER_DAY === 10 * MS_PER_HOUR) await add('link_clicked', t + 30 * 60_000);
      if (t === FROM + 16 * MS_PER_HOUR) await add('link_clicked', FROM + 17 * MS_PER_HOUR + 60_000);
    });
    expect(stored.length - before).toBe(DAYS + 1);
    expect(replay.scans).toBe(1);
    // Leave the table as the other cases expect it.
    await executeBatch(ds, [{ sql: `DELETE FROM customer_events WHERE type = 'link_clicked'`, params: [] }]);
    stored.splice(before);
  });

  it('a span denser than the read cap gets exactly its events, cut at an instant its cap falls inside, then read by days', async () => {
    // 4 events at one instant of the first hour (a cap of 3 falls inside them), 5 an hour on day 2.
    const dense: JourneyEvent[] = [];
    for (let i = 0; i < 4; i++) dense.push(await add('order_refunded', FROM + 20 * 60_000));
    for (let h = 0; h < 24; h++) for (let i = 0; i < 5; i++) dense.push(await add('order_signed', FROM + MS_PER_DAY + h * MS_PER_HOUR + i * 1000));
    try {
      const capped = new StoredEventReplay(ds, MS_PER_DAY, 3);
      await replayHourly(capped, () => stored);
      // Bounded: a day read at most once by time, plus a capped read where it left off.
      expect(capped.scans).toBeLessThanOrEqual(2 * (DAYS + 1));
      // A cap the first day exceeds but the rest of the span does not: one capped scan, then by days, then capped again.
      const wide = new StoredEventReplay(ds, 6 * MS_PER_HOUR, 20);
      await replayHourly(wide, () => stored);
      expect(wide.scans).toBeLessThan(DAYS * 4);
    } finally {
      const ids = dense.map((e) => e.id);
      await executeBatch(ds, [{ sql: `DELETE FROM customer_events WHERE id IN (${ids.map(() => '?').join(', ')})`, params: ids }]);
      stored.splice(stored.length - dense.length);
    }
  });
});
