import type { DataSource } from 'typeorm';
import { queryRows } from './sql-batch.js';

const DAY = 86_400_000;
/** An order counts as a flow's revenue when paid within this long after the customer entered it. */
export const ATTRIBUTION_WINDOW_MS = 7 * DAY;

export interface WindowStats {
  /** Customers who entered in the window. */
  entered: number;
  /** Messages queued or delivered in the window. */
  sent: number;
  /** Journeys that reached a goal in the window. */
  conversions: number;
  /** Orders paid in the window within 7 days of entering the flow (each order once per flow). */
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

/** Every flow's numbers for the journeys home, in a handful of grouped queries (not one per flow). */
export async function flowStats(ds: DataSource, now: number): Promise<Map<string, FlowStats>> {
  const since30 = now - 30 * DAY;
  const since7 = now - 7 * DAY;
  const out = new Map<string, FlowStats>();
  const at = (id: unknown) => {
    const k = String(id);
    let s = out.get(k);
    if (!s) out.set(k, (s = { flowId: k, active: 0, last7: emptyWindow(), last30: emptyWindow(), daily: new Array(30).fill(0) }));
    return s;
  };
  // One pass over each table for both windows (the 7 days lie inside the 30): the 7-day figures are
  // conditional sums of the 30-day rows, not a second scan. Each statement's rows are cut to the
  // 30-day window before any join, so a shop of 650,000 journeys reads only the recent ones' orders.
  for (const r of await queryRows(ds, "SELECT flow_id, COUNT(*) AS n FROM enrollments WHERE status = 'active' GROUP BY flow_id")) at(r.flow_id).active = Number(r.n);
  const twoWindows = async (sql: string, apply: (w: WindowStats, r: Record<string, unknown>, last7: boolean) => void) => {
    for (const r of await queryRows(ds, sql, [since7, since30, now])) {
      const s = at(r.flow_id);
      apply(s.last30, r, false);
      apply(s.last7, r, true);
    }
  };
  await twoWindows(
    "SELECT flow_id, COUNT(*) AS n, SUM(CASE WHEN scheduled_at >= ? THEN 1 ELSE 0 END) AS n7 FROM sends WHERE status IN ('queued', 'sending', 'sent') AND scheduled_at >= ? AND scheduled_at <= ? GROUP BY flow_id",
    (w, r, last7) => (w.sent = Number(last7 ? r.n7 : r.n)),
  );
  await twoWindows(
    "SELECT flow_id, COUNT(*) AS n, SUM(CASE WHEN updated_at >= ? THEN 1 ELSE 0 END) AS n7 FROM enrollments WHERE status = 'completed' AND updated_at >= ? AND updated_at <= ? GROUP BY flow_id",
    (w, r, last7) => (w.conversions = Number(last7 ? r.n7 : r.n)),
  );
  // An order paid in [since, now] within 7 days after an entry: that entry was at most 7 days before
  // `since` and not after `now`, which cuts the enrollments before they look up their orders (the
  // whole enrollments table probed the orders index twice, once per window: 3–14 s at 650,000 journeys).
  const attributed = `SELECT x.flow_id, COUNT(*) AS n, SUM(x.amount) AS revenue, SUM(CASE WHEN x.paid_at >= ? THEN 1 ELSE 0 END) AS n7, SUM(CASE WHEN x.paid_at >= ? THEN x.amount ELSE 0 END) AS revenue7 FROM (
      SELECT DISTINCT e.flow_id, o.id, o.amount, o.paid_at FROM orders o
      JOIN enrollments e ON e.customer_id = o.customer_id AND o.paid_at >= e.entered_at AND o.paid_at <= e.entered_at + ${ATTRIBUTION_WINDOW_MS}
      WHERE o.paid_at >= ? AND o.paid_at <= ? AND e.entered_at >= ? AND e.entered_at <= ?) x GROUP BY x.flow_id`;
  for (const r of await queryRows(ds, attributed, [since7, since7, since30, now, since30 - ATTRIBUTION_WINDOW_MS, now])) {
    const s = at(r.flow_id);
    s.last30.orders = Number(r.n);
    s.last30.revenue = Math.round(Number(r.revenue ?? 0) * 100) / 100;
    s.last7.orders = Number(r.n7 ?? 0);
    s.last7.revenue = Math.round(Number(r.revenue7 ?? 0) * 100) / 100;
  }
  // The day is computed once in a subquery and grouped by its name: grouping by the expression
  // itself repeats its bound parameter, and PostgreSQL does not take two parameters for one
  // expression (it refused the query, and the journeys home answered 500 on PostgreSQL).
  // The entries of the windows are the days' sums (day d starts at since30 + d days; the last 7
  // days are days 23..29, since7 = since30 + 23 days): no scan of their own.
  const daily = await queryRows(
    ds,
    'SELECT x.flow_id, x.d, COUNT(*) AS n FROM (SELECT flow_id, CAST((entered_at - ?) / 86400000 AS INTEGER) AS d FROM enrollments WHERE entered_at >= ? AND entered_at <= ?) x GROUP BY x.flow_id, x.d',
    [since30, since30, now],
  );
  for (const r of daily) {
    const d = Number(r.d);
    const s = at(r.flow_id);
    const n = Number(r.n);
    if (d >= 0 && d < 30) s.daily[d] += n;
    // entered_at = now falls on day 30 (now − since30 is exactly 30 days): inside both windows.
    if (d >= 0 && d <= 30) s.last30.entered += n;
    if (d >= 23 && d <= 30) s.last7.entered += n;
  }
  return out;
}
