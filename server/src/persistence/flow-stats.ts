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
  const windowed = async (sql: string, apply: (s: FlowStats, w: WindowStats, r: Record<string, unknown>) => void) => {
    for (const [since, pick] of [[since30, (s: FlowStats) => s.last30], [since7, (s: FlowStats) => s.last7]] as const) {
      for (const r of await queryRows(ds, sql, [since, now])) apply(at(r.flow_id), pick(at(r.flow_id)), r);
    }
  };
  for (const r of await queryRows(ds, "SELECT flow_id, COUNT(*) AS n FROM enrollments WHERE status = 'active' GROUP BY flow_id")) at(r.flow_id).active = Number(r.n);
  await windowed('SELECT flow_id, COUNT(*) AS n FROM enrollments WHERE entered_at >= ? AND entered_at <= ? GROUP BY flow_id', (_s, w, r) => (w.entered = Number(r.n)));
  await windowed("SELECT flow_id, COUNT(*) AS n FROM sends WHERE status IN ('queued', 'sending', 'sent') AND scheduled_at >= ? AND scheduled_at <= ? GROUP BY flow_id", (_s, w, r) => (w.sent = Number(r.n)));
  await windowed("SELECT flow_id, COUNT(*) AS n FROM enrollments WHERE status = 'completed' AND updated_at >= ? AND updated_at <= ? GROUP BY flow_id", (_s, w, r) => (w.conversions = Number(r.n)));
  const attributed = `SELECT x.flow_id, COUNT(*) AS n, SUM(x.amount) AS revenue FROM (
      SELECT DISTINCT e.flow_id, o.id, o.amount FROM orders o
      JOIN enrollments e ON e.customer_id = o.customer_id AND o.paid_at >= e.entered_at AND o.paid_at <= e.entered_at + ${ATTRIBUTION_WINDOW_MS}
      WHERE o.paid_at >= ? AND o.paid_at <= ?) x GROUP BY x.flow_id`;
  await windowed(attributed, (_s, w, r) => {
    w.orders = Number(r.n);
    w.revenue = Math.round(Number(r.revenue ?? 0) * 100) / 100;
  });
  // The day is computed once in a subquery and grouped by its name: grouping by the expression
  // itself repeats its bound parameter, and PostgreSQL does not take two parameters for one
  // expression (it refused the query, and the journeys home answered 500 on PostgreSQL).
  const daily = await queryRows(
    ds,
    'SELECT x.flow_id, x.d, COUNT(*) AS n FROM (SELECT flow_id, CAST((entered_at - ?) / 86400000 AS INTEGER) AS d FROM enrollments WHERE entered_at >= ? AND entered_at <= ?) x GROUP BY x.flow_id, x.d',
    [since30, since30, now],
  );
  for (const r of daily) {
    const d = Number(r.d);
    if (d >= 0 && d < 30) at(r.flow_id).daily[d] += Number(r.n);
  }
  return out;
}
