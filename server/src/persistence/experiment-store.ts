import { excelCsv, nameBesideId, type ExcelColumn } from '../core/text/excel-sheet.js';
import { notEnoughDataWords } from '../core/text/excel-words.js';
import type { DataSource } from 'typeorm';
import { csvCell } from '../core/text/csv-cell.js';
import { shopIsoTime } from '../core/engine/local-time.js';
import type { ExperimentPort } from '../core/experiment/ports.js';
import { buildReport, controlArm, decideWinner, type ArmData, type ExperimentReport } from '../core/experiment/report.js';
import { DecisionGroundsSchema, type RecordedDecision, type WinnerDecision } from '../core/experiment/winner-decision.js';
import type { Experiment } from '../core/experiment/schema.js';
import { parseDuration } from '../core/flow/duration.js';
import type { Flow, NodeOfType } from '../core/flow/schema.js';
import { placeholders, queryRows, toPgPlaceholders } from './sql-batch.js';
import { isSqlite, writeTransaction } from './write-transaction.js';

type SplitNode = NodeOfType<'split'>;
const CHUNK = 500;

export class ExperimentNotFoundError extends Error {}

/** The split node of a flow that carries this experiment id. */
export function experimentNode(flow: Flow, experimentId?: string): SplitNode | undefined {
  return flow.nodes.find((n): n is SplitNode => n.type === 'split' && !!n.experiment && (experimentId === undefined || n.experiment.id === experimentId));
}

/** Finds an experiment among published flow versions (newest version of each flow first). */
export async function findExperiment(ds: DataSource, experimentId: string): Promise<{ flow: Flow; node: SplitNode }> {
  const rows = await queryRows(ds, 'SELECT content FROM flow_versions ORDER BY id DESC');
  const known = new Set<string>();
  let flowNamed: Flow | null = null;
  for (const r of rows) {
    const flow = JSON.parse(String(r.content)) as Flow;
    const node = experimentNode(flow, experimentId);
    if (node) return { flow, node };
    for (const n of flow.nodes) if (n.type === 'split' && n.experiment) known.add(n.experiment.id);
    if (flow.id === experimentId && !flowNamed) flowNamed = flow;
  }
  // A flow id works too when the flow (its newest version) has an experiment.
  if (flowNamed) {
    const node = experimentNode(flowNamed);
    if (node) return { flow: flowNamed, node };
    throw new ExperimentNotFoundError(`flow "${experimentId}" has no experiment (no split node with experiment.id)${known.size ? `; published experiments: ${[...known].sort().join(', ')}` : ''}`);
  }
  // Name the experiments there are: the id is the split's experiment.id, not the flow id.
  const there = known.size ? `published experiments: ${[...known].sort().join(', ')}` : 'no published flow has one yet';
  throw new ExperimentNotFoundError(`no experiment "${experimentId}": an experiment is named by a split node's experiment.id (${there})`);
}

/**
 * The per-arm counts of an experiment, read from the logs (split_assignments, sends,
 * customer_events) as of `now`:
 * - exposed: the customer's enrollment got a message with status "sent" at or after assignment
 *   (a holdout arm is exposed to nothing);
 * - response: the FIRST matching event in [start, start + window], where start is the exposure
 *   (or the assignment, for the holdout and for customers whose message never went out: every
 *   assigned customer counts, intention to treat); later and duplicate events never count again;
 * - revenue: that event's amount; coupon cost: face value of this journey's coupons redeemed.
 * Everything is cut at `now`, not only the responses: a customer assigned, or a message sent, after
 * it had not happened yet (a report as of a day mid-test counts that day's customers and costs,
 * else the later customers dilute the rate of those who had had time to respond).
 */
export async function loadArmData(ds: DataSource, flowId: string, node: SplitNode, now: number): Promise<ArmData[]> {
  const x = node.experiment!;
  const windowMs = parseDuration(x.window);
  // A response matched on `$key` (orderId: $key: the reminded order's own payment) compares with
  // the key of the journey that was assigned, as exitOn and waitForEvent do (it was compared with the
  // text "$key", and a per-order test counted 0 responders in every arm): read with the assignments.
  const byKey = x.responses.some((rs) => Object.values(rs.match ?? {}).includes(KEY));
  const assigned = byKey
    ? await queryRows(ds, 'SELECT sa.customer_id, sa.arm, sa.enrollment_id, sa.assigned_at, e.journey_key FROM split_assignments sa LEFT JOIN enrollments e ON e.id = sa.enrollment_id WHERE sa.flow_id = ? AND sa.node_id = ? AND sa.assigned_at <= ? ORDER BY sa.customer_id', [flowId, node.id, now])
    : await queryRows(ds, 'SELECT customer_id, arm, enrollment_id, assigned_at FROM split_assignments WHERE flow_id = ? AND node_id = ? AND assigned_at <= ? ORDER BY customer_id', [flowId, node.id, now]);
  const arms = new Map<string, ArmData>(node.arms.map((a) => [a.id, { arm: a.id, label: a.label, weight: a.weight, ...(a.quota !== undefined ? { quota: a.quota } : {}), holdout: a.holdout, assigned: 0, exposed: 0, responders: 0, revenue: 0, messageCost: {}, couponCost: 0 }]));
  const types = [...new Set([...x.responses.map((r) => r.event), 'coupon_redeemed'])];
  for (let i = 0; i < assigned.length; i += CHUNK) {
    const chunk = assigned.slice(i, i + CHUNK);
    const enrollmentIds = chunk.map((r) => Number(r.enrollment_id));
    const customerIds = chunk.map((r) => Number(r.customer_id));
    const sends = await queryRows(ds, `SELECT enrollment_id, channel, cost, coupon_code, coupon_value, scheduled_at, sent_at FROM sends WHERE status = 'sent' AND COALESCE(sent_at, scheduled_at) <= ? AND enrollment_id IN (${placeholders(enrollmentIds.length)}) ORDER BY id`, [now, ...enrollmentIds]);
    const minAt = Math.min(...chunk.map((r) => Number(r.assigned_at)));
    const events = await queryRows(ds, `SELECT customer_id, type, properties, occurred_at FROM customer_events WHERE customer_id IN (${placeholders(customerIds.length)}) AND type IN (${placeholders(types.length)}) AND occurred_at >= ? AND occurred_at <= ? ORDER BY occurred_at, id`, [...customerIds, ...types, minAt, now]);
    const sendsBy = group(sends, (s) => Number(s.enrollment_id));
    const eventsBy = group(events, (e) => Number(e.customer_id));
    for (const r of chunk) {
      const a = arms.get(String(r.arm));
      if (!a) continue; // an arm removed in a later version: not part of this report
      a.assigned++;
      const at = Number(r.assigned_at);
      const mine = (sendsBy.get(Number(r.enrollment_id)) ?? []).filter((s) => Number(s.scheduled_at) >= at);
      let start = at;
      const codes = new Map<string, number>();
      if (!a.holdout && mine.length > 0) {
        a.exposed++;
        start = Math.min(...mine.map((s) => Number(s.sent_at ?? s.scheduled_at)));
        for (const s of mine) {
          if (s.cost !== null && s.cost !== undefined) a.messageCost[String(s.channel)] = (a.messageCost[String(s.channel)] ?? 0) + Number(s.cost);
          if (s.coupon_code) codes.set(String(s.coupon_code), Number(s.coupon_value ?? 0));
        }
      }
      const evs = (eventsBy.get(Number(r.customer_id)) ?? []).map((e) => ({ type: String(e.type), at: Number(e.occurred_at), props: parse(e.properties) }));
      const key = byKey && r.journey_key !== null && r.journey_key !== undefined ? String(r.journey_key) : null;
      const hit = evs.find((e) => e.at >= start && e.at <= start + windowMs && x.responses.some((rs) => rs.event === e.type && matches(e.props, rs.match, key)));
      if (hit) {
        a.responders++;
        const spec = x.responses.find((rs) => rs.event === hit.type)!;
        const amount = Number(hit.props[spec.revenue ?? 'amount']);
        if (Number.isFinite(amount)) a.revenue += amount;
      }
      const redeemed = new Set<string>();
      for (const e of evs) {
        const code = String(e.props.code ?? e.props.couponCode ?? '');
        if (e.type === 'coupon_redeemed' && codes.has(code) && !redeemed.has(code)) {
          redeemed.add(code); // a coupon costs its value once, however often the event repeats
          a.couponCost += codes.get(code)!;
        }
      }
    }
  }
  return [...arms.values()];
}

/**
 * `asOf`: the instant the figures are counted up to (epoch ms, as `decision.decidedAt`). Responses
 * keep arriving within the window, so two exports of a running test differ; the text report said
 * its instant, the JSON and the CSV did not, and an analyst comparing two saved CSVs could not tell
 * which day each was of.
 */
export async function experimentReport(ds: DataSource, flowId: string, node: SplitNode, now: number): Promise<ExperimentReport & { asOf: number; decision: (RecordedDecision & { decidedAt: number }) | null }> {
  const x = node.experiment!;
  const report = buildReport({ experimentId: x.id, flowId, nodeId: node.id }, x, await loadArmData(ds, flowId, node, now), controlArm(node.arms, x));
  const d = await readDecision(ds, flowId, node.id);
  return { ...report, asOf: now, decision: d ? { ...d.decision, decidedAt: d.decidedAt } : null };
}

/**
 * The recorded decision of a split: its code and figures as stored. A row decided before decisions
 * had codes got them once, in migration 1765002530000, when deciding its stored report again gave
 * the very arm and reason recorded; one that did not (and a stored code this server does not know)
 * reads as code and figures null, and `reason` says it: the designer never says a decision the
 * server did not make.
 */
async function readDecision(ds: DataSource, flowId: string, nodeId: string): Promise<{ decision: RecordedDecision; decidedAt: number } | null> {
  const [d] = await queryRows(ds, 'SELECT arm, winner, reason, code, figures, decided_at FROM experiment_decisions WHERE flow_id = ? AND node_id = ?', [flowId, nodeId]);
  if (!d) return null;
  const base = { arm: String(d.arm), winner: d.winner === true || Number(d.winner) === 1, reason: String(d.reason) };
  const decidedAt = Number(d.decided_at);
  const g = d.code === null || d.code === undefined ? null : DecisionGroundsSchema.safeParse({ code: d.code, figures: parse(d.figures) });
  return { decision: g?.success ? { ...base, ...g.data } : { ...base, code: null, figures: null }, decidedAt };
}

/**
 * One row per arm, the figures an analyst pastes into a spreadsheet. Columns only ever added at the
 * end (tools read them by name or place): `as_of`, the instant counted up to in the shop's wall
 * clock with its offset (as the send log's times; empty for a report built without one), and `label`,
 * the arm's name as the designer shows it (邮件抢先看), which made `excel` (a UTF-8 byte order mark
 * first) needed: without it Excel on Chinese Windows reads the file as GBK and garbles the names.
 */
export function reportCsv(r: ExperimentReport & { asOf?: number }, opts: { timezone: string; excel?: boolean }): string {
  const head = ['experiment', 'arm', 'holdout', 'weight', 'assigned', 'exposed', 'responders', 'response_rate', 'ci_low', 'ci_high', 'revenue', 'revenue_per_customer', 'cost', 'incremental_revenue', 'roi', 'abs_lift', 'abs_lift_low', 'abs_lift_high', 'rel_lift', 'rel_lift_low', 'rel_lift_high', 'p_value', 'prob_best', 'enough_data', 'enough_data_reason', 'as_of', 'label'];
  const asOf = r.asOf === undefined ? null : shopIsoTime(r.asOf, opts.timezone);
  const rows = r.arms.map((a) => [r.experimentId, a.arm, a.holdout, a.weight, a.assigned, a.exposed, a.responders, a.responseRate, a.responseRateCi.low, a.responseRateCi.high, a.revenue, a.revenuePerCustomer, a.cost, a.incrementalRevenue, a.roi, a.vsControl?.absolute, a.vsControl?.absoluteCi.low, a.vsControl?.absoluteCi.high, a.vsControl?.relative, a.vsControl?.relativeCi?.low, a.vsControl?.relativeCi?.high, a.vsControl?.pValue, a.probabilityBest, r.enoughData.enough, r.enoughData.reason, asOf, a.label]);
  if (opts.excel) {
    // The Excel variant (core/text/excel-sheet.ts): Chinese headers, the arm's name next to its id, rates in percent, as_of a date-time.
    const order = nameBesideId(head.length);
    // …and why there is not enough data in the words of the designer's experiment panel (excel-words.ts).
    const e = r.enoughData;
    const notEnough = notEnoughDataWords(e.reason, e.minPerArm, e.control, r.arms.find((a) => a.arm === e.control)?.label ?? e.control);
    // An arm nobody was assigned to has no rate: 0 with an interval of 0–100 read as a finding, so those cells are empty.
    const rawRows = r.arms.map((a, i) => rows[i].map((v, j) => (head[j] === 'as_of' ? (r.asOf ?? null) : head[j] === 'enough_data_reason' ? notEnough || null : a.assigned === 0 && NO_RATE_WITHOUT_CUSTOMERS.has(head[j]) ? null : v)));
    return excelCsv(order.map((i) => REPORT_EXCEL[head[i]]), rawRows.map((row) => order.map((i) => row[i])), opts.timezone);
  }
  return [head, ...rows].map((row) => row.map(csvCell).join(',')).join('\n') + '\n';
}

/** The Excel variant's columns that are empty for an arm with no customer assigned (a rate of nobody). */
const NO_RATE_WITHOUT_CUSTOMERS = new Set(['response_rate', 'ci_low', 'ci_high', 'revenue_per_customer']);

const REPORT_EXCEL: Record<string, ExcelColumn> = {
  experiment: { label: '实验', kind: 'id' },
  arm: { label: '分组', kind: 'id' },
  label: { label: '分组名称', kind: 'text' },
  holdout: { label: '对照组(不发送)', kind: 'flag' },
  weight: { label: '分配比例(%)', kind: 'number' },
  assigned: { label: '分配人数', kind: 'number' },
  exposed: { label: '触达人数', kind: 'number' },
  responders: { label: '响应人数', kind: 'number' },
  response_rate: { label: '响应率(%)', kind: 'ratio' },
  ci_low: { label: '响应率95%区间下限(%)', kind: 'ratio' },
  ci_high: { label: '响应率95%区间上限(%)', kind: 'ratio' },
  revenue: { label: '收入(元)', kind: 'money' },
  revenue_per_customer: { label: '人均收入(元)', kind: 'money' },
  cost: { label: '成本(元)', kind: 'money' },
  incremental_revenue: { label: '增量收入(元)', kind: 'money' },
  roi: { label: 'ROI(%)', kind: 'ratio' },
  abs_lift: { label: '响应率差 vs 对照(百分点)', kind: 'points' },
  abs_lift_low: { label: '响应率差下限(百分点)', kind: 'points' },
  abs_lift_high: { label: '响应率差上限(百分点)', kind: 'points' },
  rel_lift: { label: '相对提升 vs 对照(%)', kind: 'ratio' },
  rel_lift_low: { label: '相对提升下限(%)', kind: 'ratio' },
  rel_lift_high: { label: '相对提升上限(%)', kind: 'ratio' },
  // As the designer's experiment panel shows it (four decimals, < 0.0001); the plain CSV keeps every digit.
  p_value: { label: 'p 值', kind: 'pvalue' },
  prob_best: { label: '最优概率(%)', kind: 'ratio' },
  enough_data: { label: '数据是否充足', kind: 'flag' },
  enough_data_reason: { label: '数据说明', kind: 'text' },
  as_of: { label: '统计截至', kind: 'time' },
};

/** The engine's side of experiments: arrival counters and test decisions (see core/experiment/ports.ts). */
export class ExperimentStore implements ExperimentPort {
  constructor(private readonly ds: DataSource) {}

  /**
   * Counters live outside the step's commit: if a step batch fails after reserving, those arrival
   * numbers are skipped (a gap in one block) rather than reused, so balance is off by at most the
   * failed batch and no arrival number is ever given twice.
   */
  async reserveArrivals(flowId: string, nodeId: string, stratum: string, count: number): Promise<number> {
    const sql = (s: string) => (isSqlite(this.ds) ? s : toPgPlaceholders(s));
    return writeTransaction(this.ds, async (m) => {
      await m.query(sql('INSERT INTO experiment_arrivals (flow_id, node_id, stratum, arrivals) VALUES (?, ?, ?, 0) ON CONFLICT (flow_id, node_id, stratum) DO NOTHING'), [flowId, nodeId, stratum]);
      await m.query(sql('UPDATE experiment_arrivals SET arrivals = arrivals + ? WHERE flow_id = ? AND node_id = ? AND stratum = ?'), [count, flowId, nodeId, stratum]);
      const [r] = await m.query(sql('SELECT arrivals FROM experiment_arrivals WHERE flow_id = ? AND node_id = ? AND stratum = ?'), [flowId, nodeId, stratum]);
      return Number(r.arrivals) - count;
    });
  }

  async testStartedAt(flowId: string, nodeId: string): Promise<number | null> {
    const [r] = await queryRows(this.ds, 'SELECT MIN(assigned_at) AS at FROM split_assignments WHERE flow_id = ? AND node_id = ?', [flowId, nodeId]);
    return r?.at === null || r?.at === undefined ? null : Number(r.at);
  }

  async decision(flowId: string, nodeId: string): Promise<RecordedDecision | null> {
    return (await readDecision(this.ds, flowId, nodeId))?.decision ?? null;
  }

  async decide(flowId: string, node: SplitNode, now: number): Promise<RecordedDecision> {
    const existing = await this.decision(flowId, node.id);
    if (existing) return existing;
    const x = node.experiment as Experiment;
    const report = buildReport({ experimentId: x.id, flowId, nodeId: node.id }, x, await loadArmData(this.ds, flowId, node, now), controlArm(node.arms, x));
    const d: WinnerDecision = decideWinner(report, x.test!.defaultArm);
    const sql = 'INSERT INTO experiment_decisions (flow_id, node_id, experiment_id, arm, winner, reason, code, figures, report, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (flow_id, node_id) DO NOTHING';
    await writeTransaction(this.ds, (m) => m.query(isSqlite(this.ds) ? sql : toPgPlaceholders(sql), [flowId, node.id, x.id, d.arm, isSqlite(this.ds) ? (d.winner ? 1 : 0) : d.winner, d.reason, d.code, JSON.stringify(d.figures), JSON.stringify(report), now]));
    return (await this.decision(flowId, node.id))!; // a concurrent worker may have decided first
  }
}

function group<T>(rows: T[], key: (r: T) => number): Map<number, T[]> {
  const m = new Map<number, T[]>();
  for (const r of rows) {
    const k = key(r);
    const l = m.get(k);
    if (l) l.push(r);
    else m.set(k, [r]);
  }
  return m;
}

function parse(v: unknown): Record<string, unknown> {
  if (v && typeof v === 'object') return v as Record<string, unknown>;
  try {
    return JSON.parse(String(v ?? '{}'));
  } catch {
    return {};
  }
}

const KEY = '$key';

/** Literal values compare strictly; `$key` as text with the assigned journey's key (engine/event-match.ts). */
function matches(props: Record<string, unknown>, match: Record<string, string | number | boolean> | undefined, journeyKey: string | null): boolean {
  return !match || Object.entries(match).every(([k, v]) => (v === KEY ? journeyKey !== null && props[k] !== undefined && props[k] !== null && String(props[k]) === journeyKey : props[k] === v));
}
