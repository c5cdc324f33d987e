import { pipeline, Readable, Transform } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { DataSource } from 'typeorm';
import { excelLines } from './excel-lines.js';
import type { ExcelColumn } from '../core/text/excel-sheet.js';
import { categoryWords, channelWords, couponStatusWords, deliveryErrorWords, reasonWordsWith, sendStatusWords, type ListTitles } from '../core/text/excel-words.js';
import { shopIsoTime } from '../core/engine/local-time.js';
import { groupCaseLabel } from '../core/flow/group-case-label.js';
import { withCouponStandIns } from '../core/coupons/held-back-text.js';
import { num, numOrNull, rows } from './outbox-sql.js';
import { sendLogRowInView, WITHHELD_MARK, type SendLogView } from '../core/access/send-log-view.js';

/**
 * The send log (`sends`): every message the engine queued, blocked or skipped, and what became of
 * it. Exported as CSV or NDJSON, read page by page in id order and streamed, so a large log never
 * sits in memory.
 */
export const SEND_STATUSES = ['queued', 'sending', 'sent', 'failed', 'blocked', 'skipped'] as const;
export type SendStatus = (typeof SEND_STATUSES)[number];
export const SEND_LOG_FORMATS = ['csv', 'ndjson'] as const;
export type SendLogFormat = (typeof SEND_LOG_FORMATS)[number];

export interface SendLogFilter {
  flowId?: string;
  /** The customer's external id (the shop's own id). */
  customerExternalId?: string;
  status?: SendStatus;
  /** Only sends scheduled in [from, before) (epoch ms): a day of the log (`export sends --day`). */
  scheduledFrom?: number;
  scheduledBefore?: number;
}

export const SEND_LOG_COLUMNS = [
  'id',
  'customer_external_id',
  'flow',
  'version',
  'node',
  'arm',
  'group',
  // The group in words: the switch case that led to its limit node (groupCaseLabel).
  'group_label',
  'campaign',
  'journey_key',
  'channel',
  'category',
  'status',
  'reason',
  'scheduled_at',
  'sent_at',
  'attempts',
  'subject',
  'body',
  'link',
  'coupon',
  'coupon_amount',
  // Whether the coupon exists (couponOfRow below): a held-back message never issued the one it drew.
  'coupon_status',
  'provider_message_id',
  'last_error',
  // What the customer did with the message: first click of its link, use of its coupon (the funnel's clicked / coupons used).
  'clicked_at',
  'coupon_used_at',
  // What the message cost (rules/channels.yaml's price) when it went out (status sent), as the
  // experiment report's cost and ROI count it; empty when it did not: the engine stores the price on
  // blocked and failed rows too, and summing those over-stated a report's cost (¥5.70 against ¥3.95).
  'cost',
] as const;
export type SendLogRow = Record<(typeof SEND_LOG_COLUMNS)[number], string | number | null>;

const PAGE = 1000;

/** How the log's times are written: UTC ISO (NDJSON, for machines) or the shop's wall clock with its offset (CSV). */
type TimeText = (ms: number) => string;
const utcIso: TimeText = (ms) => new Date(ms).toISOString();
const time = (v: unknown, text: TimeText): string | null => (v === null || v === undefined ? null : text(num(v)));

/** One page of the log: rows with an id above the first parameter, in id order. */
export function sendLogPageQuery(ds: DataSource, filter: SendLogFilter = {}): { sql: string; params: unknown[] } {
  const where: string[] = ['s.id > ?'];
  const params: unknown[] = [];
  // Pages walk the primary key. Given `flow_id = ?` or `status = ?`, SQLite's planner takes
  // ix_sends_flow / ix_sends_outbox instead and sorts every matching row by id for each page of
  // 1,000: quadratic in the log (a 1M-customer Double-11 export did not finish in 14 minutes).
  // SQLite's unary `+` keeps those terms off the indexes, so each page reads on from the last id.
  const unindexed = (column: string) => (ds.options.type === 'postgres' ? column : `+${column}`);
  if (filter.flowId) (where.push(`${unindexed('s.flow_id')} = ?`), params.push(filter.flowId));
  if (filter.customerExternalId) (where.push('c.external_id = ?'), params.push(filter.customerExternalId));
  if (filter.status) (where.push(`${unindexed('s.status')} = ?`), params.push(filter.status));
  if (filter.scheduledFrom !== undefined) (where.push(`${unindexed('s.scheduled_at')} >= ?`), params.push(filter.scheduledFrom));
  if (filter.scheduledBefore !== undefined) (where.push(`${unindexed('s.scheduled_at')} < ?`), params.push(filter.scheduledBefore));
  const sql = `SELECT s.id, c.external_id, s.flow_id, fv.version, s.version_id, s.node_id, s.arm, COALESCE(s.group_label, e.group_label) AS group_label, s.campaign, e.journey_key, s.channel, s.category, s.status, s.reason, s.scheduled_at, s.sent_at,
                      s.attempts, s.subject, s.body, s.link_url, s.coupon_code, s.coupon_value, s.cost, s.provider_message_id, s.last_error, s.clicked_at, cp.redeemed_at,
                      cp.code AS issued_code, cp.amount AS issued_amount, cp.voided, nc.code AS named_code
               FROM sends s
               LEFT JOIN coupons cp ON cp.send_key = s.idempotency_key
               LEFT JOIN coupons nc ON nc.code = s.coupon_code
               LEFT JOIN enrollments e ON e.id = s.enrollment_id
               LEFT JOIN customers c ON c.id = s.customer_id
               LEFT JOIN flow_versions fv ON fv.id = s.version_id
               WHERE ${where.join(' AND ')} ORDER BY s.id LIMIT ${PAGE}`;
  return { sql, params };
}

/** Rows in id order. `version` is the flow version number (null if the version row is gone). */
export async function* sendLogRows(ds: DataSource, filter: SendLogFilter = {}, timeText: TimeText = utcIso): AsyncGenerator<SendLogRow> {
  const { sql, params } = sendLogPageQuery(ds, filter);
  const versions = versionContents(ds);
  let after = 0;
  for (;;) {
    const page = await rows<Record<string, unknown>>(ds, ds.manager, sql, [after, ...params]);
    if (page.length === 0) return;
    after = num(page[page.length - 1].id);
    for (const r of page) {
      const coupon = couponOfRow(r);
      // A held-back message's text was stored without its coupon: fill the holes with stand-ins.
      const heldBack = r.status === 'blocked' || r.status === 'skipped';
      const group = (r.group_label as string | null) ?? null;
      const flow = heldBack || group ? await versions(numOrNull(r.version_id)) : null;
      const node = heldBack ? flow?.nodes?.find((n) => n.id === r.node_id) : undefined;
      yield {
        id: num(r.id),
        customer_external_id: (r.external_id as string | null) ?? null,
        flow: r.flow_id as string,
        version: numOrNull(r.version),
        node: r.node_id as string,
        arm: (r.arm as string | null) ?? null,
        group,
        group_label: flow ? groupCaseLabel(flow, group) : null,
        campaign: (r.campaign as string | null) ?? null,
        // The journey key: the order id of a payment reminder or post-purchase care journey.
        journey_key: r.journey_key === null || r.journey_key === undefined || r.journey_key === '' ? null : String(r.journey_key),
        channel: r.channel as string,
        category: r.category as string,
        status: r.status as string,
        reason: (r.reason as string | null) ?? null,
        scheduled_at: time(r.scheduled_at, timeText),
        sent_at: time(r.sent_at, timeText),
        attempts: num(r.attempts),
        subject: withCouponStandIns(node?.subject, (r.subject as string | null) ?? null),
        body: withCouponStandIns(node?.template, r.body as string) as string,
        link: (r.link_url as string | null) ?? null,
        coupon: coupon.code,
        coupon_amount: coupon.amount,
        coupon_status: coupon.status,
        provider_message_id: (r.provider_message_id as string | null) ?? null,
        last_error: (r.last_error as string | null) ?? null,
        clicked_at: time(r.clicked_at, timeText),
        coupon_used_at: time(r.redeemed_at, timeText),
        cost: r.status === 'sent' ? numOrNull(r.cost) : null,
      };
    }
    if (page.length < PAGE) return;
  }
}

interface VersionContent {
  nodes?: { id: string; type?: string; label?: string; template?: string; subject?: string; cases?: { label?: string; next?: string }[] }[];
}

/** A flow version's content by id, read and parsed once per export (only held-back or grouped rows ask). */
function versionContents(ds: DataSource): (versionId: number | null) => Promise<VersionContent | null> {
  const byId = new Map<number, VersionContent | null>();
  return async (versionId) => {
    if (versionId === null) return null;
    if (!byId.has(versionId)) {
      const [row] = await rows<Record<string, unknown>>(ds, ds.manager, 'SELECT content FROM flow_versions WHERE id = ?', [versionId]);
      byId.set(versionId, row ? (JSON.parse(String(row.content)) as VersionContent) : null);
    }
    return byId.get(versionId)!;
  };
}

/**
 * The coupon of a send-log row, from the ledger rather than the message: `issued` (this message
 * issued it; `used` once the customer paid with it, `voided` if the message never reached the customer), `issued earlier` (a reminder
 * naming the coupon an earlier message of the journey issued), `not issued` (the message was held
 * back before its coupon was issued: no code, no amount — rows stored before held-back messages
 * dropped their code show none either). A message that went out with a code the ledger does not
 * know (sent before the ledger kept codes) keeps it, `issued`. The amount is on the issuing row only, so the column
 * sums to the face value of the coupons in the ledger, each once.
 */
function couponOfRow(r: Record<string, unknown>): { code: string | null; amount: number | null; status: string | null } {
  if (r.issued_code !== null && r.issued_code !== undefined) return { code: String(r.issued_code), amount: numOrNull(r.issued_amount), status: r.voided ? 'voided' : r.redeemed_at !== null && r.redeemed_at !== undefined ? 'used' : 'issued' };
  if (r.named_code !== null && r.named_code !== undefined) return { code: String(r.named_code), amount: null, status: 'issued earlier' };
  const heldBack = r.status === 'blocked' || r.status === 'skipped';
  // A code the ledger does not know on a message that went out: issued before the ledger kept codes (or by hand).
  if (r.coupon_code !== null && r.coupon_code !== undefined) return heldBack ? { code: null, amount: null, status: 'not issued' } : { code: String(r.coupon_code), amount: numOrNull(r.coupon_value), status: 'issued' };
  if (r.coupon_value !== null && r.coupon_value !== undefined) return { code: null, amount: null, status: 'not issued' };
  return { code: null, amount: null, status: null };
}

export interface SendLogCsvOptions {
  /** The shop's time zone: CSV times are its wall clock with the offset (2025-11-20T19:13:48+08:00). */
  timezone: string;
  /** Write the Excel variant (core/text/excel-sheet.ts): byte order mark, Chinese headers, date-times Excel reads. */
  excel?: boolean;
  /**
   * The shop's block lists' titles (PolicyFile.titledLists), read once by the caller for the whole
   * export: the Excel variant says a send held back by a list by its title (在屏蔽名单「差评顾客」中).
   */
  listTitles?: ListTitles;
}

/**
 * The export as a byte stream: CSV with a header line (times in shop time, for people and
 * spreadsheets), or one JSON object per line (times in UTC ISO, unchanged for integrations).
 * `view`: an analyst's (core/access/send-log-view.ts) — message text withheld (a mark in the CSV
 * cells; null in NDJSON, whose rows then name the columns in `withheld`), contacts in provider
 * errors masked; absent, the whole log.
 */
export function sendLogStream(ds: DataSource, format: SendLogFormat, filter: SendLogFilter, csv: SendLogCsvOptions, view: SendLogView | null = null): Readable {
  const inView = (rows: AsyncGenerator<SendLogRow>, mark: string | null, named: boolean): AsyncIterable<SendLogRow> => (view ? viewed(rows, view, mark, named) : rows);
  // pipeline (not pipe) so a database error destroys the returned stream instead of hanging it.
  if (format === 'csv' && csv.excel) {
    // The Excel variant (core/text/excel-sheet.ts) reads the log's UTC instants and writes them on the shop's clock.
    return pipeline(Readable.from(inView(sendLogRows(ds, filter), WITHHELD_MARK.excel, false)), excelLines(sendLogExcel(csv.listTitles ?? {}), [...SEND_LOG_COLUMNS], csv.timezone), () => {});
  }
  if (format === 'csv') {
    const source = Readable.from(inView(sendLogRows(ds, filter, (ms) => shopIsoTime(ms, csv.timezone)), WITHHELD_MARK.csv, false));
    return pipeline(source, stringify({ header: true, columns: [...SEND_LOG_COLUMNS], cast: { number: String }, escape_formulas: true, bom: false }), () => {});
  }
  const source = Readable.from(inView(sendLogRows(ds, filter), null, true));
  const ndjson = new Transform({
    writableObjectMode: true,
    transform(row: SendLogRow, _enc, cb) {
      cb(null, JSON.stringify(row) + '\n');
    },
  });
  return pipeline(source, ndjson, () => {});
}

/** Rows as `view` shows them; `named`: each row also lists its withheld columns (NDJSON, where a withheld value is null). */
async function* viewed(rows: AsyncGenerator<SendLogRow>, view: SendLogView, mark: string | null, named: boolean): AsyncGenerator<SendLogRow> {
  for await (const row of rows) {
    const shown = sendLogRowInView(row, view, mark);
    yield named && view.withheld.length > 0 ? ({ ...shown, withheld: [...view.withheld] } as SendLogRow) : shown;
  }
}

export const SEND_LOG_CONTENT_TYPES: Record<SendLogFormat, string> = { csv: 'text/csv; charset=utf-8', ndjson: 'application/x-ndjson; charset=utf-8' };

/**
 * The send log's Excel variant: Chinese headers, times a spreadsheet reads as date-times, ids and coupon
 * codes as text, statuses, reasons, channels and errors in the designer's words (excel-words.ts);
 * made once per export, with the block lists' titles the export read.
 */
const sendLogExcel = (listTitles: ListTitles): Record<(typeof SEND_LOG_COLUMNS)[number], ExcelColumn> => ({
  id: { label: '记录编号', kind: 'id' },
  customer_external_id: { label: '顾客编号', kind: 'id' },
  flow: { label: '旅程', kind: 'id' },
  version: { label: '旅程版本', kind: 'number' },
  node: { label: '步骤', kind: 'id' },
  arm: { label: '实验分组', kind: 'id' },
  group: { label: '分组', kind: 'id' },
  group_label: { label: '分组名称', kind: 'text' },
  campaign: { label: '活动', kind: 'id' },
  journey_key: { label: '区分旅程的值（订单号等）', kind: 'id' },
  channel: { label: '渠道', kind: 'text', words: channelWords },
  category: { label: '消息类别', kind: 'text', words: categoryWords },
  status: { label: '状态', kind: 'text', words: sendStatusWords },
  reason: { label: '原因', kind: 'text', words: reasonWordsWith(listTitles) },
  scheduled_at: { label: '计划发送时间', kind: 'time' },
  sent_at: { label: '发送时间', kind: 'time' },
  attempts: { label: '尝试次数', kind: 'number' },
  subject: { label: '标题', kind: 'text' },
  body: { label: '内容', kind: 'text' },
  link: { label: '链接', kind: 'text' },
  coupon: { label: '券码', kind: 'id' },
  coupon_amount: { label: '券面额(元)', kind: 'money' },
  coupon_status: { label: '券状态', kind: 'text', words: couponStatusWords },
  provider_message_id: { label: '服务商消息编号', kind: 'id' },
  last_error: { label: '最近错误', kind: 'text', words: deliveryErrorWords },
  clicked_at: { label: '点击时间', kind: 'time' },
  coupon_used_at: { label: '用券时间', kind: 'time' },
  cost: { label: '费用(元)', kind: 'money' },
});
