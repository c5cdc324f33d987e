import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fixedClock } from '../../server/src/core/clock.js';
import type { OrderInput } from '../../server/src/core/data/model.js';
import { parseRows, type ParsedRow, type RowParser } from '../../server/src/core/data/import/parsed-rows.js';
import { stageOrder } from '../../server/src/core/data/import/staged-order.js';
import { importRows } from '../../server/src/persistence/importer.js';
import { threadRowParser } from '../../server/src/runtime/import-parser.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';

/**
 * Issue 9: an order's staged values for SQLite's bulk path (its items' text, its order event, what
 * it adds to the facts: core/data/import/staged-order.ts) are computed by the import's parser
 * thread and only bound by the writing thread. The stored orders, events, inbox rows and facts
 * must be exactly those of values computed by the writer itself (rows without them: the in-process
 * path of `POST /api/orders`), across chunks, with repeated, changed and unknown-customer rows
 * taking the row-by-row path in between.
 */
// Worker threads run compiled JavaScript: the thread's entry from dist/ (npm test builds it first).
const ENTRY = new URL('../../dist/server/src/runtime/import-parse-thread.js', import.meta.url);
const NOW = Date.parse('2026-02-01T00:00:00Z');
const TZ = 'Asia/Shanghai';
const DAY = 86_400_000;
const t0 = Date.parse('2024-11-10T17:00:00Z'); // 11 Nov 01:00 in Shanghai: a Double-11 order without promotion

const CUSTOMERS = 'externalId,name\nk1,A\nk2,B\nk3,C\nk4,D\n';
const ORDERS = [
  'externalId,customerExternalId,status,amount,createdAt,paidAt,promotion,items',
  `a1,k1,paid,10.10,${t0},${t0 + 60_000},,s1:dress:summer:1`,
  `a2,k1,paid,20.20,${t0 + 40 * DAY},${t0 + 40 * DAY + 1},double11,s2:coat|wool:winter:1;s3:dress:summer:1`,
  `a3,k1,created,5,${t0 + 50 * DAY},,,s4:tops`,
  `a4,k1,cancelled,7,${t0 + 51 * DAY},,,s5:bags`,
  `a5,k1,refunded,9,${t0 + 52 * DAY},${t0 + 52 * DAY},,s6:shoes`,
  `r1,k2,created,30,${t0 + 3 * DAY},,,s7:bags`,
  `a6,nobody,paid,1,${t0},${t0},,s8:dress`,
  `r1,k2,paid,30,${t0 + 3 * DAY},${t0 + 4 * DAY},,s7:bags`,
  `a7,k2,shipped,0.1,${t0 + 200 * DAY},${t0 + 200 * DAY},,`,
  `a8,k4,completed,0.2,${t0 + 300 * DAY},${t0 + 300 * DAY},"say ""hi""",s9:kids:spring:2:0.1`,
  `a9,k3,created,3.3,${t0 + 9 * DAY},,,s10:home`,
  `a3,k1,paid,5,${t0 + 50 * DAY},${t0 + 53 * DAY},,s4:tops`,
  `b1,k3,paid,12,${t0 + 400 * DAY},${t0 + 400 * DAY + 5},,s11:dress;s12:dress;s13:美妆`,
].join('\n') + '\n';

/** The in-process parser with the staged values dropped: the writer computes them itself. */
const withoutStaged: RowParser = async function* (kind, format, source, opts) {
  for await (const block of parseRows(kind, format, source, opts)) yield block.map((r): ParsedRow => (r.input ? { line: r.line, input: r.input } : r));
};

/** Counts the rows that arrive with staged values. */
function counting(parser: RowParser): { parser: RowParser; staged: () => number } {
  let n = 0;
  return {
    staged: () => n,
    parser: async function* (kind, format, source, opts) {
      for await (const block of parser(kind, format, source, opts)) {
        // In the values or, from the thread on SQLite, in its batch's staged-orders file (import-stage-files.test.ts).
        n += block.filter((r) => r.staged || r.stagedIn !== undefined).length;
        yield block;
      }
    },
  };
}

describe('staged order values', () => {
  it('the parser (in process and in its thread) stages every valid order as the writer would', async () => {
    const threaded = threadRowParser(3, ENTRY);
    if (!threaded) throw new Error('dist/ is not built: run `npx tsc -p tsconfig.build.json` first');
    const rowsOf = async (parser: RowParser) => {
      const rows: ParsedRow[] = [];
      for await (const b of parser('orders', 'csv', [ORDERS], { timezone: TZ, stageOrders: true })) rows.push(...b);
      return rows.filter((r) => r.input);
    };
    const [inProcess, inThread] = [await rowsOf(parseRows), await rowsOf(threaded)];
    expect(inProcess.length).toBe(13);
    for (const r of inProcess) expect(r.staged).toEqual(stageOrder(r.input as OrderInput, TZ));
    // From the thread the same values; the items cross as their text only.
    expect(inThread.map((r) => r.staged)).toEqual(inProcess.map((r) => r.staged));
    expect(inThread.map((r) => ({ ...r.input, items: JSON.parse(r.staged![0]) }))).toEqual(inProcess.map((r) => r.input));
    expect(inThread.every((r) => (r.input as OrderInput).items === undefined)).toBe(true);
    // Only when asked for (PostgreSQL's path does not use them).
    for await (const b of parseRows('orders', 'csv', [ORDERS], { timezone: TZ })) expect(b.some((r) => r.staged)).toBe(false);
    // An event without a time of its own takes the writer's clock; a purchase's facts its local day.
    const [, cancelledAt] = stageOrder({ externalId: 'x', customerExternalId: 'k', status: 'cancelled', amount: 1, createdAt: t0, items: [] } as OrderInput, TZ);
    expect(cancelledAt).toBeNull();
    const paid = stageOrder({ externalId: 'x', customerExternalId: 'k', status: 'paid', amount: 1, createdAt: t0, paidAt: t0, items: [{ sku: 's', category: 'a|b' }] } as OrderInput, TZ);
    expect(paid.slice(3)).toEqual([2, t0, 'a/b', 'a/b@2024-autumn', '2024']);
  });

  describe.each(DIALECTS)('on %s', (dialect) => {
    let staged: TestDatabase;
    let unstaged: TestDatabase;
    beforeAll(async () => {
      staged = await openTestDatabase(dialect);
      unstaged = await openTestDatabase(dialect);
    });
    afterAll(async () => {
      await staged?.close();
      await unstaged?.close();
    });

    const load = async (db: TestDatabase, parser: RowParser) => {
      const clock = fixedClock(NOW);
      await importRows(db.dataSource, { kind: 'customers', format: 'csv', source: [CUSTOMERS], file: 'customers.csv', timezone: TZ, clock });
      // Batches of 4: the bulk path and the row-by-row path in several chunks, a changed order across them.
      return importRows(db.dataSource, { kind: 'orders', format: 'csv', source: [ORDERS], file: 'orders.csv', timezone: TZ, clock, batchSize: 4, parser });
    };
    const tables = async (db: TestDatabase) => ({
      orders: await db.dataSource.query('SELECT * FROM orders ORDER BY id'),
      events: await db.dataSource.query('SELECT * FROM customer_events ORDER BY id'),
      inbox: await db.dataSource.query('SELECT * FROM event_inbox ORDER BY event_id'),
      facts: await db.dataSource.query('SELECT * FROM customer_facts ORDER BY customer_id'),
    });

    it('orders staged by the parser thread store the same orders, events, inbox rows and facts as orders staged by the writer', async () => {
      const threaded = counting(threadRowParser(4, ENTRY)!);
      const a = await load(staged, threaded.parser);
      const b = await load(unstaged, withoutStaged);
      expect(a).toEqual(b);
      expect(a).toMatchObject({ rows: 13, failed: 1 });
      // SQLite: the thread's values were there to bind (PostgreSQL writes row by row and asks for none).
      expect(threaded.staged()).toBe(dialect === 'sqlite' ? 13 : 0);
      const [x, y] = [await tables(staged), await tables(unstaged)];
      expect(x.orders.length).toBe(10);
      expect(x.events.length).toBeGreaterThanOrEqual(12);
      expect(x.inbox.length).toBe(x.events.length);
      expect(x.facts.length).toBe(4);
      expect(x).toEqual(y);
    });
  });
});
