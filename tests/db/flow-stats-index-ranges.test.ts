import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { flowStats } from '../../server/src/persistence/flow-stats.js';
import { rawSqlite } from '../../server/src/persistence/write-transaction.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';
import { addCustomers, addOrder } from '../support/shop-fixtures.js';

/**
 * The journeys home (GET /api/home) took 3–15 s at 650,000 journeys: each of its statements read
 * the whole enrollments or sends table (a scan, or an index walked row by row back to the table)
 * and sorted it to group by flow. Every statement it runs now reads a range of an index for
 * enrollments and sends (SQLite's plan says SEARCH, never SCAN), and the attribution starts from the
 * orders, looking up each order's customer's enrollments.
 */
const NOW = Date.parse('2026-11-30T04:00:00Z');

describe('journeys home statements (sqlite)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase('sqlite');
    const ids = await addCustomers(db.dataSource, [{ externalId: 'ir-1' }], 0);
    await db.dataSource.query(
      "INSERT INTO enrollments (flow_id, version_id, customer_id, journey_key, node_id, status, entered_at, node_entered_at, step_count, entry_key, updated_at) VALUES ('f1', 1, ?, 'k', 'start', 'active', ?, ?, 0, 'e-k', ?)",
      [ids[0], NOW - 86_400_000, NOW - 86_400_000, NOW - 86_400_000],
    );
    await addOrder(db.dataSource, { externalId: 'ir-o1', customerId: ids[0], status: 'paid', amount: 10, createdAt: NOW - 3_600_000, paidAt: NOW - 3_600_000 });
  });
  afterAll(async () => db?.close());

  // The home's own choice here (one journey of history) is all − finished; then the other read.
  // (Statements are prepared once per connection: each case sees the statements new to it.)
  it.each([undefined, 'active-rows'] as const)('reads enrollments and sends by index ranges only, never a whole-table scan (active count: %s)', async (activeRead) => {
    const raw = rawSqlite(db.dataSource) as unknown as { prepare(sql: string): unknown };
    const prepare = raw.prepare;
    const seen: string[] = [];
    raw.prepare = (sql: string) => (seen.push(sql), prepare.call(raw, sql));
    let stats;
    try {
      stats = await flowStats(db.dataSource, NOW, { activeRead });
    } finally {
      raw.prepare = prepare;
    }
    expect(stats.get('f1')).toMatchObject({ active: 1, last7: { entered: 1, orders: 1, revenue: 10 } });
    const reads = [...new Set(seen)].filter((s) => /\b(enrollments|sends)\b/.test(s));
    expect(reads.length).toBeGreaterThan(0);
    // Forced to read the journeys under way, the home reads them through the active-only index alone.
    if (activeRead === 'active-rows') expect(reads.filter((r) => /status = 'active' GROUP BY flow_id/.test(r))).toEqual([expect.stringContaining('INDEXED BY ix_enrollments_wake')]);
    for (const sql of reads) {
      const params = sql.match(/\?/g)?.map(() => 0) ?? [];
      const plan = ((await db.dataSource.query(`EXPLAIN QUERY PLAN ${sql}`, params)) as { detail: string }[]).map((p) => p.detail).join(' | ');
      expect([sql, plan]).toEqual([sql, expect.not.stringMatching(/SCAN (enrollments|sends|e)\b/)]);
      // The window's conversions (its entrants that completed) come from the ended-journeys index
      // alone, entry included: each a table read, the home took ~500 ms instead of ~50 at 650,000
      // finished journeys (bench/home).
      if (/status = 'completed'/.test(sql)) expect([sql, plan]).toEqual([sql, expect.stringContaining('USING COVERING INDEX ix_enrollments_flow_ended')]);
      // Walking an index in full back to the table is a scan too (it was for the active count), but
      // for the active-only ix_enrollments_wake: its entries are the journeys under way, no history.
      if (/USING INDEX ix_enrollments_wake \(status=\?\)$/.test(plan)) continue;
      expect([sql, plan]).toEqual([sql, expect.not.stringMatching(/(SEARCH|SCAN) (enrollments|sends|e) USING INDEX \w+ \((status|flow_id)=\?\)$/)]);
    }
  });
});
