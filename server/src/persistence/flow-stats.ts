import type { DataSource } from 'typeorm';
import { activeByFlow, type ActiveRead } from './active-by-flow.js';
import { queryRows } from './sql-batch.js';

const DAY = 86_400_000;
/** An order counts as a flow's revenue when paid within this long after the customer entered it. */
export const ATTRIBUTION_WINDOW_MS = 7 * DAY;

/**
 * One window of a flow's row on the journeys home. Conversions and revenue are the same customers'
 * (docs/designer.md): those who entered in the window, whenever they converted or paid since (up to
 * the window's end). Counted by when the goal was reached and when the order was paid instead, the
 * two had different bases — a simulation's launch whose customers all entered on day 1 read, for
 * its last 7 days, 进入 0 · 转化 79 · 收入 ¥0 (goals reached late in the journey; orders only
 * within 7 days of entering).
 */
export interface WindowStats {
  /** Customers who entered in the window. */
  entered: number;
  /** Messages queued or delivered in the window (to customers who entered at any time). */
  sent: number;
  /** Of the journeys entered in the window, those that reached a goal (by the window's end). */
  conversions: number;
  /** Orders the customers who entered in the window paid within 7 days of entering (each order once per flow), by the window's end. */
  orders: number;
  revenue: number;
}

export interface FlowStats {
  flowId: string;
  /** In the flow now (any version). */
  active: number;
  last7: WindowStats;
  last30: WindowStats;
  /** Entries per day over the last 30 days, oldest first. */
  daily: number[];
}

const emptyWindow = (): WindowStats => ({ entered: 0, sent: 0, conversions: 0, orders: 0, revenue: 0 });

/**
 * Every flow's numbers for the journeys home, each a range of an index per flow (migration
 * HomeStatIndexes: 3–15 s a call at 650,000 journeys when each statement read the whole
 * enrollments or sends table and sorted it to group by flow; bench/README, twenty-fifth wave).
 */
/** `opts.activeRead` forces how the active counts are read (tests; otherwise the cheaper). */
export async function flowStats(ds: DataSource, now: number, opts: { activeRead?: ActiveRead; ordersUntil?: number } = {}): Promise<Map<string, FlowStats>> {
  const since30 = now - 30 * DAY;
  const since7 = now - 7 * DAY;
  const out = new Map<string, FlowStats>();
  const at = (id: unknown) => {
    const k = String(id);
    let s = out.get(k);
    if (!s) out.set(k, (s = { flowId: k, active: 0, last7: emptyWindow(), last30: emptyWindow(), daily: new Array(30).fill(0) }));
    return s;
  };
  const one = async (sql: string, params: unknown[]) => (await queryRows(ds, sql, params))[0] ?? {};
  // The flows that have journeys, one index seek each (a DISTINCT would read every entry).
  const flows: string[] = [];
  for (let r = await one('SELECT MIN(flow_id) AS f FROM enrollments', []); r.f != null; r = await one('SELECT MIN(flow_id) AS f FROM enrollments WHERE flow_id > ?', [r.f])) flows.push(String(r.f));
  // In the flow now: the journeys under way, or all − finished, whichever reads less (active-by-flow.ts).
  const active = await activeByFlow(ds, flows, opts.activeRead);
  for (const flow of flows) {
    const s = at(flow);
    s.active = active.get(flow) ?? 0;
    // The journeys entered in the window that reached a goal: a goal is reached after entering, so the
    // ended-journeys index is read from the window's start (its converters only), each row checked for its entry.
    const conv = await one(
      "SELECT COUNT(*) AS n, SUM(CASE WHEN entered_at >= ? THEN 1 ELSE 0 END) AS n7 FROM enrollments WHERE flow_id = ? AND status <> 'active' AND status = 'completed' AND updated_at >= ? AND entered_at >= ? AND entered_at <= ?",
      [since7, flow, since30, since30, now],
    );
    s.last30.conversions = Number(conv.n ?? 0);
    s.last7.conversions = Number(conv.n7 ?? 0);
    // Messages queued or delivered = all of the window − the blocked and failed ones.
    const sendsIn = async (unsent: string) =>
      one(`SELECT COUNT(*) AS n, SUM(CASE WHEN scheduled_at >= ? THEN 1 ELSE 0 END) AS n7 FROM sends WHERE flow_id = ? AND scheduled_at >= ? AND scheduled_at <= ?${unsent}`, [since7, flow, since30, now]);
    const sends = await sendsIn('');
    const unsent = await sendsIn(" AND status NOT IN ('queued', 'sending', 'sent')");
    s.last30.sent = Number(sends.n ?? 0) - Number(unsent.n ?? 0);
    s.last7.sent = Number(sends.n7 ?? 0) - Number(unsent.n7 ?? 0);
    // Entries per day: day d starts at since30 + d days; entered_at = now falls on day 30 (now −
    // since30 is exactly 30 days), inside both windows but on no day of the sparkline. One count
    // per day reads the index range in order; a GROUP BY of the day would sort every entry.
    for (let d = 0; d <= 30; d++) {
      const from = since30 + d * DAY;
      const n = Number((await one('SELECT COUNT(*) AS n FROM enrollments WHERE flow_id = ? AND entered_at >= ? AND entered_at < ?', [flow, from, d === 30 ? now + 1 : Math.min(from + DAY, now + 1)])).n ?? 0);
      if (d < 30) s.daily[d] += n;
      s.last30.entered += n;
      // The last 7 days are days 23..29 (since7 = since30 + 23 days) and day 30's instant.
      if (d >= 23) s.last7.entered += n;
    }
  }
  // An order paid within 7 days after an entry in [since, now], up to `until`. Read from the orders
  // paid since the window's start (an order paid after an entry of the window is paid after it
  // began; a few percent of the orders), each looking up its customer's enrollments: read from the
  // enrollments of the window instead, each probing the orders index, it took 1–3 s at 650,000
  // journeys. SQLite's CROSS JOIN keeps that order (its planner chose the enrollments first).
  // An order after two entries counts once, in the 7 days when the later entry is in them.
  const attributed = `SELECT x.flow_id, COUNT(*) AS n, SUM(x.amount) AS revenue, SUM(CASE WHEN x.entered >= ? THEN 1 ELSE 0 END) AS n7, SUM(CASE WHEN x.entered >= ? THEN x.amount ELSE 0 END) AS revenue7 FROM (
      SELECT e.flow_id, o.id, o.amount, MAX(e.entered_at) AS entered FROM orders o CROSS JOIN enrollments e
      WHERE e.customer_id = o.customer_id AND o.paid_at >= e.entered_at AND o.paid_at <= e.entered_at + ${ATTRIBUTION_WINDOW_MS}
        AND o.paid_at >= ? AND o.paid_at <= ? AND e.entered_at >= ? AND e.entered_at <= ? GROUP BY e.flow_id, o.id, o.amount) x GROUP BY x.flow_id`;
  // Orders up to `ordersUntil` (default now). The home reads a simulation with its windows ending at
  // the instant its reports read it as of (report-time.ts experimentResponsesTime), orders included.
  const until = Math.max(now, opts.ordersUntil ?? now);
  for (const r of await queryRows(ds, attributed, [since7, since7, since30, until, since30, now])) {
    const s = at(r.flow_id);
    s.last30.orders = Number(r.n);
    s.last30.revenue = Math.round(Number(r.revenue ?? 0) * 100) / 100;
    s.last7.orders = Number(r.n7 ?? 0);
    s.last7.revenue = Math.round(Number(r.revenue7 ?? 0) * 100) / 100;
  }
  return out;
}
