import { excelCsv, nameBesideId, type ExcelColumn } from '../core/text/excel-sheet.js';
import type { DataSource } from 'typeorm';
import { deliveryErrorSummary } from '../core/channels/delivery-error.js';
import { explainReason } from '../core/policy/explain-reason.js';
import { csvCell } from '../core/text/csv-cell.js';
import { deliveryErrorWords, nodeTypeWords, reasonWords, sendStatusWords, type ListTitles } from '../core/text/excel-words.js';
import { queryRows } from './sql-batch.js';
import { money } from '../core/experiment/money.js';

export interface NodeReport {
  nodeId: string;
  outcomes: Record<string, number>;
  /** Enrollments standing at this node now (waiting). */
  waiting: number;
}

export interface FlowRunReport {
  flowId: string;
  enrollments: { active: number; completed: number; exited: number };
  nodes: NodeReport[];
  sends: { channel: string; status: string; reason: string | null; count: number }[];
}

/**
 * What each node of a flow did, counted from the journey log and the send log (not from any
 * in-memory counter), optionally for one version only.
 */
export async function flowRunReport(ds: DataSource, flowId: string, versionId?: number): Promise<FlowRunReport> {
  const vClause = versionId === undefined ? '' : ' AND version_id = ?';
  const vParams = versionId === undefined ? [] : [versionId];
  const outcomes = await queryRows(ds, `SELECT node_id, outcome, COUNT(*) AS n FROM journey_steps WHERE flow_id = ?${vClause} GROUP BY node_id, outcome ORDER BY node_id, outcome`, [flowId, ...vParams]);
  const waiting = await queryRows(ds, `SELECT node_id, COUNT(*) AS n FROM enrollments WHERE flow_id = ? AND status = 'active'${vClause} GROUP BY node_id`, [flowId, ...vParams]);
  const statuses = await queryRows(ds, `SELECT status, COUNT(*) AS n FROM enrollments WHERE flow_id = ?${vClause} GROUP BY status`, [flowId, ...vParams]);
  const sends = await queryRows(ds, `SELECT channel, status, reason, COUNT(*) AS n FROM sends WHERE flow_id = ?${vClause} GROUP BY channel, status, reason ORDER BY channel, status, reason`, [flowId, ...vParams]);
  const nodes = new Map<string, NodeReport>();
  const node = (id: string) => nodes.get(id) ?? nodes.set(id, { nodeId: id, outcomes: {}, waiting: 0 }).get(id)!;
  for (const r of outcomes) node(String(r.node_id)).outcomes[String(r.outcome)] = Number(r.n);
  for (const r of waiting) node(String(r.node_id)).waiting = Number(r.n);
  const en = { active: 0, completed: 0, exited: 0 } as FlowRunReport['enrollments'];
  for (const r of statuses) en[r.status as keyof typeof en] = Number(r.n);
  return { flowId, enrollments: en, nodes: [...nodes.values()], sends: sends.map((r) => ({ channel: String(r.channel), status: String(r.status), reason: (r.reason as string | null) ?? null, count: Number(r.n) })) };
}

export interface FunnelNode {
  nodeId: string;
  type: string;
  /** Enrollments that reached this node (distinct journeys with a log line here, or standing here). */
  entered: number;
  /** Standing here now (a wait, a response window, a deferred send). */
  waiting: number;
  /** Messages queued or delivered by this node. */
  sent: number;
  /**
   * Of `sent`, the messages still in the outbox (queued, or being handed to the channel): not
   * delivered yet. On a Double-11 midnight tens of thousands wait there for minutes; the designer's
   * card said 已发送 for all of them.
   */
  queued: number;
  /** Messages held back by policy, by reason (cap, quiet hours, consent, block list…). */
  blocked: Record<string, number>;
  /** Messages the channel did not deliver (out of retries, or refused by the provider). */
  failed: number;
  /** The commonest delivery errors of those (summarised: no attempt number, stack or path), at most 3. */
  failedErrors: Record<string, number>;
  /** Journeys that answered at this wait-for-event node (a send step's answers are `clicked` and `redeemed`). */
  responded: number;
  /** Messages of this send step whose link the customer clicked (first click counted once). */
  clicked: number;
  /** Coupons issued by this send step that were used in a paid order (at any time: `redeemedAfterEnd` is part of it). */
  redeemed: number;
  /**
   * Of `redeemed`, the coupons used after their journey had ended (exited or completed before the
   * order; the end is the journey's ending step in the log). Such an order is never the journey's conversion — `converted` counts journeys that
   * reached a goal while in the flow — so a send step read "coupons used 19, converted 0" as a
   * contradiction without this split (Double 11's winback-sms: the journey ends at `done` right
   * after it, and the customers use the coupon days later).
   */
  redeemedAfterEnd: number;
  /**
   * What this send step's delivered messages cost (sends.cost of status sent, in yuan, as the
   * experiment report counts an arm's message cost): a campaign without an experiment had its cost
   * only in the send log, so its ROI needed a script. Named for what it is: it was `cost`, and an
   * analyst read it as the campaign's whole cost, which the experiment report's 成本 is (messages
   * and coupons), and overstated the return.
   */
  messageCost: number;
  /**
   * The face value of this send step's coupons used in a paid order (the `redeemed` coupons, at any
   * time), in yuan: the other half of what the experiment report counts as an arm's cost.
   */
  couponCost: number;
  /** Journeys through this node that ended at a goal (completed). */
  converted: number;
  /** Journeys that ended at this node without reaching a goal. */
  exited: number;
}

/**
 * A per-node funnel of a flow, in the flow's node order, counted from the journey log, the
 * enrollments and the send log. `flow` gives the node order and types (the newest version).
 */
export async function flowFunnel(ds: DataSource, flowId: string, nodes: { id: string; type: string }[]): Promise<{ flowId: string; nodes: FunnelNode[] }> {
  const reached = await queryRows(ds, 'SELECT node_id, COUNT(DISTINCT enrollment_id) AS n FROM journey_steps WHERE flow_id = ? GROUP BY node_id', [flowId]);
  const outcomes = await queryRows(ds, "SELECT node_id, outcome, COUNT(*) AS n FROM journey_steps WHERE flow_id = ? AND (outcome = 'responded' OR outcome LIKE 'exited:%') GROUP BY node_id, outcome", [flowId]);
  const waiting = await queryRows(ds, "SELECT node_id, COUNT(*) AS n FROM enrollments WHERE flow_id = ? AND status = 'active' GROUP BY node_id", [flowId]);
  const unlogged = await queryRows(ds, "SELECT e.node_id, COUNT(*) AS n FROM enrollments e WHERE e.flow_id = ? AND NOT EXISTS (SELECT 1 FROM journey_steps s WHERE s.enrollment_id = e.id AND s.node_id = e.node_id) GROUP BY e.node_id", [flowId]);
  const converted = await queryRows(ds, "SELECT s.node_id, COUNT(DISTINCT s.enrollment_id) AS n FROM journey_steps s JOIN enrollments e ON e.id = s.enrollment_id WHERE s.flow_id = ? AND e.status = 'completed' GROUP BY s.node_id", [flowId]);
  const sends = await queryRows(ds, 'SELECT node_id, status, reason, COUNT(*) AS n, SUM(cost) AS cost FROM sends WHERE flow_id = ? GROUP BY node_id, status, reason', [flowId]);
  const errors = await queryRows(ds, "SELECT node_id, last_error, COUNT(*) AS n FROM sends WHERE flow_id = ? AND status = 'failed' GROUP BY node_id, last_error", [flowId]);
  // A finished journey ended at its ending step (the log's exited:… / completed:… line, as its journey page shows it):
  // a coupon used later was used outside it. Not the row's updated_at, which is only the row's last write (the same
  // instant as long as nothing writes a finished row; a later write would move the end); it stands in for a journey
  // without its ending line.
  const answers = await queryRows(
    ds,
    `SELECT s.node_id, COUNT(s.clicked_at) AS clicked, COUNT(c.redeemed_at) AS redeemed,
            SUM(CASE WHEN c.redeemed_at IS NOT NULL THEN c.amount END) AS coupon_cost,
            COUNT(CASE WHEN e.status <> 'active' AND c.redeemed_at > COALESCE(
              (SELECT MIN(j.at) FROM journey_steps j WHERE j.enrollment_id = e.id AND (j.outcome LIKE 'exited:%' OR j.outcome LIKE 'completed:%')),
              e.updated_at) THEN 1 END) AS after_end
       FROM sends s LEFT JOIN coupons c ON c.send_key = s.idempotency_key LEFT JOIN enrollments e ON e.id = c.enrollment_id
      WHERE s.flow_id = ? AND (s.clicked_at IS NOT NULL OR c.redeemed_at IS NOT NULL) GROUP BY s.node_id`,
    [flowId],
  );
  const empty = (nodeId: string, type: string): FunnelNode => ({ nodeId, type, entered: 0, waiting: 0, sent: 0, queued: 0, blocked: {}, failed: 0, failedErrors: {}, responded: 0, clicked: 0, redeemed: 0, redeemedAfterEnd: 0, messageCost: 0, couponCost: 0, converted: 0, exited: 0 });
  const out = new Map<string, FunnelNode>(nodes.map((n) => [n.id, empty(n.id, n.type)]));
  const at = (id: unknown) => out.get(String(id)) ?? out.set(String(id), empty(String(id), 'removed')).get(String(id))!;
  for (const r of reached) at(r.node_id).entered += Number(r.n);
  for (const r of unlogged) at(r.node_id).entered += Number(r.n); // standing here before its first log line
  for (const r of waiting) at(r.node_id).waiting = Number(r.n);
  for (const r of converted) at(r.node_id).converted = Number(r.n);
  for (const r of answers) {
    at(r.node_id).clicked = Number(r.clicked);
    at(r.node_id).redeemed = Number(r.redeemed);
    at(r.node_id).redeemedAfterEnd = Number(r.after_end);
    at(r.node_id).couponCost = money(Number(r.coupon_cost ?? 0));
  }
  for (const r of outcomes) {
    if (r.outcome === 'responded') at(r.node_id).responded += Number(r.n);
    else at(r.node_id).exited += Number(r.n);
  }
  for (const r of sends) {
    const s = String(r.status);
    // Kept to a millionth of a yuan: 153 SMS at ¥0.05 summed to 7.649999999999986 (core/experiment/report.ts).
    if (s === 'sent' && r.cost !== null && r.cost !== undefined) at(r.node_id).messageCost = money(at(r.node_id).messageCost + Number(r.cost));
    if (s === 'queued' || s === 'sending') at(r.node_id).queued += Number(r.n);
    if (s === 'queued' || s === 'sending' || s === 'sent') at(r.node_id).sent += Number(r.n);
    // Not delivered is not held back: no policy stopped it, the channel did not take it.
    else if (s === 'failed') at(r.node_id).failed += Number(r.n);
    else {
      const key = `${s}${r.reason ? `:${r.reason}` : ''}`;
      at(r.node_id).blocked[key] = (at(r.node_id).blocked[key] ?? 0) + Number(r.n);
    }
  }
  const byNode = new Map<string, Map<string, number>>();
  for (const r of errors) {
    const words = deliveryErrorSummary(r.last_error as string | null) ?? '';
    const m = byNode.get(String(r.node_id)) ?? byNode.set(String(r.node_id), new Map()).get(String(r.node_id))!;
    m.set(words, (m.get(words) ?? 0) + Number(r.n));
  }
  for (const [id, m] of byNode) {
    const top = [...m].filter(([w]) => w).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 3);
    at(id).failedErrors = Object.fromEntries(top);
  }
  return { flowId, nodes: [...out.values()] };
}

/**
 * The node ids, types and card names (`label`, as the designer's canvas shows them; absent when the
 * step has none) of a flow's newest published version (the funnel's order), or null if never published.
 */
export async function newestPublishedNodes(ds: DataSource, flowId: string): Promise<{ version: number; nodes: { id: string; type: string; label?: string; link?: string }[] } | null> {
  const [row] = await queryRows(ds, 'SELECT version, content FROM flow_versions WHERE flow_id = ? ORDER BY version DESC LIMIT 1', [flowId]);
  if (!row) return null;
  const flow = JSON.parse(String(row.content)) as { nodes: { id: string; type: string; label?: string; link?: string }[] };
  // A send's link too: the products report ties a click to a product by it (product-clicks.ts).
  return { version: Number(row.version), nodes: flow.nodes.map((n) => ({ id: n.id, type: n.type, ...(n.label ? { label: n.label } : {}), ...(n.link ? { link: n.link } : {}) })) };
}

/** Each step's card name by node id (steps without one left out): the funnel CSV's `label` column and the text's `step` column. */
export function nodeLabels(nodes: readonly { id: string; label?: string }[]): Record<string, string> {
  return Object.fromEntries(nodes.filter((n) => n.label).map((n) => [n.id, n.label!]));
}

/**
 * The column (and text) name of a held-back reason: the funnel's keys are `<status>:<reason>`
 * (`blocked:no-consent:email`, `skipped:…`), which already say `blocked:<reason>`; another
 * `blocked:` in front read `blocked:blocked:no-consent:email`.
 */
export function heldBackColumn(key: string): string {
  return key.startsWith('blocked:') || key.startsWith('skipped:') ? key : `blocked:${key}`;
}

/**
 * A held-back reason in a line that already says "blocked at <node>", for people: the policy's
 * words (core/policy/explain-reason.ts, as `explain` says them), not the logged code
 * (`no marketing consent for email`, not `no-consent:email`); a skip says so. A reason without
 * words keeps its code; a block list by its title (`listTitles`, read once by the caller). The CSV
 * and JSON keep the codes (heldBackColumn).
 */
export function heldBackWords(key: string, listTitles: ListTitles = {}): string {
  const [status, ...rest] = key.split(':');
  const reason = rest.join(':');
  if (status !== 'blocked' && status !== 'skipped') return explainReason(key, listTitles) ?? key;
  const words = reason ? (explainReason(reason, listTitles) ?? reason) : 'no reason logged';
  return status === 'skipped' ? `skipped, ${words}` : words;
}

/**
 * The funnel as CSV, one row per node: the fixed figures, then one `blocked:<reason>` column per
 * reason held back anywhere in the flow (so every row has the same columns), and the commonest
 * delivery errors as `error (n); …`. The last column, `label`, is the step's card name as the
 * designer shows it (`labels`, by node id: nodeLabels of the published version; empty for a step
 * without one): a spreadsheet of `cap-never-d11`, `wave1-sms`… left a Chinese-speaking analyst to
 * look every id up on the canvas.
 */
export function funnelCsv(f: { flowId: string; nodes: FunnelNode[] }, opts: { excel?: boolean; timezone?: string; labels?: Readonly<Record<string, string>>; listTitles?: ListTitles } = {}): string {
  const reasons = [...new Set(f.nodes.flatMap((n) => Object.keys(n.blocked)))].sort();
  const labels = opts.labels ?? {};
  const head = ['flow', 'node', 'type', 'entered', 'waiting', 'sent', 'blocked', ...reasons.map(heldBackColumn), 'failed', 'failed_errors', 'responded', 'clicked', 'coupons_used', 'coupons_used_after_end', 'converted', 'exited', 'conversion_rate', 'message_cost', 'queued', 'coupon_cost', 'label'];
  const rows = f.nodes.map((n) => [
    f.flowId,
    n.nodeId,
    n.type,
    n.entered,
    n.waiting,
    n.sent,
    Object.values(n.blocked).reduce((a, b) => a + b, 0),
    ...reasons.map((r) => n.blocked[r] ?? 0),
    n.failed,
    // The Excel variant says the simulated channel's and an unexplained failure in words (excel-words.ts).
    Object.entries(n.failedErrors).map(([e, c]) => `${opts.excel ? deliveryErrorWords(e) : e} (${c})`).join('; '),
    n.responded,
    n.clicked,
    n.redeemed,
    n.redeemedAfterEnd,
    n.converted,
    n.exited,
    // The text report's conv. (converted / entered) as a ratio, as the experiment CSV's rates: the
    // figure an analyst compares between a campaign's groups, which the CSV left to a formula.
    n.entered ? n.converted / n.entered : null,
    // What the step's messages cost (was `cost`: renamed, it is not the whole cost; docs/experiments.md).
    n.messageCost,
    // Of `sent`, still in the outbox (added last, as conversion_rate and message_cost: scripts reading by position keep working).
    n.queued,
    // The face value of the step's coupons used: with message_cost, the experiment report's cost.
    n.couponCost,
    // The card name, last of all (scripts reading by position keep working); csvCell guards a name starting with = + - @.
    Object.hasOwn(labels, n.nodeId) ? labels[n.nodeId] : null,
  ]);
  if (opts.excel) {
    // The Excel variant (core/text/excel-sheet.ts): Chinese headers, the step's name next to its id, the rate in percent.
    const order = nameBesideId(head.length);
    const columns = order.map((i) => funnelExcelColumn(head[i], opts.listTitles ?? {}));
    return excelCsv(columns, rows.map((r) => order.map((i) => r[i])), opts.timezone ?? 'UTC');
  }
  return [head, ...rows].map((row) => row.map(csvCell).join(',')).join('\n') + '\n';
}

const FUNNEL_EXCEL: Record<string, ExcelColumn> = {
  flow: { label: '旅程', kind: 'id' },
  node: { label: '步骤', kind: 'id' },
  label: { label: '步骤名称', kind: 'text' },
  type: { label: '步骤类型', kind: 'text', words: nodeTypeWords },
  entered: { label: '进入人数', kind: 'number' },
  waiting: { label: '等待中', kind: 'number' },
  sent: { label: '已发送', kind: 'number' },
  blocked: { label: '拦截', kind: 'number' },
  failed: { label: '发送失败', kind: 'number' },
  failed_errors: { label: '失败原因', kind: 'text' },
  responded: { label: '已响应', kind: 'number' },
  clicked: { label: '已点击', kind: 'number' },
  coupons_used: { label: '用券下单', kind: 'number' },
  coupons_used_after_end: { label: '其中旅程结束后用券', kind: 'number' },
  converted: { label: '转化人数', kind: 'number' },
  exited: { label: '退出', kind: 'number' },
  conversion_rate: { label: '转化率(%)', kind: 'ratio' },
  message_cost: { label: '消息费用(元)', kind: 'money' },
  queued: { label: '排队待发', kind: 'number' },
  coupon_cost: { label: '优惠券成本(元)', kind: 'money' },
};

/**
 * A funnel column's Excel header: a held-back reason's column (`blocked:<reason>`, `skipped:<reason>`)
 * says 被拦截 / 未发送 and the reason in the designer's words (被拦截:没有邮件营销许可), a block list
 * by its title (`listTitles`, read once by the caller).
 */
function funnelExcelColumn(key: string, listTitles: ListTitles): ExcelColumn {
  if (Object.hasOwn(FUNNEL_EXCEL, key)) return FUNNEL_EXCEL[key];
  const [status, ...reason] = key.split(':');
  return { label: `${sendStatusWords(status)}:${reasonWords(reason.join(':'), listTitles)}`, kind: 'number' };
}
