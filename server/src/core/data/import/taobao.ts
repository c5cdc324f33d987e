import iconv from 'iconv-lite';
import { categoryOfTitle } from './title-categories.js';
import { CsvError } from 'csv-parse';
import { csvErrorWords } from './csv-error-words.js';
import { csvRecordBlocks } from './csv-records.js';
import { zonedInstant } from '../../engine/local-time.js';
import { checkPaidAfterCreated, impossibleCalendar, instantInRange, INSTANT_SPAN_WORDS } from '../input-limits.js';
import { fieldCountError } from './row-reader.js';
import { WHOLE_ROW } from './row-mapper.js';
import type { OrderStatus } from '../model.js';

/**
 * Taobao / Tmall seller-center order export (卖家中心 → 已卖出的宝贝 → 批量导出, "订单报表").
 * Chinese headers, times in the shop's local time ("2026-10-01 10:00:00"), often GBK/GB18030,
 * order numbers written as ="…" or with a tab so Excel keeps all digits. This module maps it to
 * Rekindle's customer and order inputs (docs/data-import.md has the table).
 */
export const TAOBAO_COLUMNS = {
  orderId: '订单编号',
  buyer: '买家会员名',
  created: '订单创建时间',
  paid: '订单付款时间',
  amount: '买家实际支付金额',
  status: '订单状态',
  address: '收货地址',
  title: '宝贝标题',
  category: '宝贝种类',
  categoryAlt: '类目',
  quantity: '宝贝总数量',
  receiver: '收货人姓名',
  phone: '联系手机',
  coupon: '店铺优惠券',
  couponAlt: '优惠券编号',
  promotion: '订单备注',
  mobile: '是否手机订单',
  refunded: '退款金额',
} as const;

/**
 * 是否手机订单 → the device the order was placed on. The export writes 手机订单 for an order placed
 * on the phone (手机淘宝) and leaves the cell empty for one placed on a computer; 是/否 and the
 * words for both are read too. null: a value that says neither (the row is refused, naming it).
 */
export function taobaoDevice(text: string): 'mobile' | 'pc' | null {
  const t = text.trim().toLowerCase();
  if (['手机订单', '手机', '无线', '是', 'y', 'yes', 'true', '1', 'mobile', 'wap'].includes(t)) return 'mobile';
  if (['', '否', '非手机订单', '电脑订单', '电脑', 'pc', 'n', 'no', 'false', '0'].includes(t)) return 'pc';
  return null;
}

/** 订单状态 → Rekindle status (交易关闭 is a cancellation before payment, a refund after). */
export function taobaoStatus(text: string, paid: boolean): OrderStatus | null {
  const t = text.trim();
  if (t.includes('等待买家付款')) return 'created';
  if (t.includes('等待卖家发货')) return 'paid';
  if (t.includes('卖家已发货') || t.includes('等待买家确认')) return 'shipped';
  if (t.includes('交易成功')) return 'completed';
  if (t.includes('退款')) return paid ? 'refunded' : 'cancelled';
  if (t.includes('交易关闭')) return paid ? 'refunded' : 'cancelled';
  return null;
}

/** GB18030 (a superset of GBK) unless the bytes are valid UTF-8 (with or without BOM). */
export function detectEncoding(bytes: Buffer): 'utf-8' | 'gb18030' {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return 'utf-8';
  } catch {
    return 'gb18030';
  }
}

export function decodeTaobao(bytes: Buffer): { text: string; encoding: 'utf-8' | 'gb18030' } {
  const encoding = detectEncoding(bytes);
  const text = encoding === 'utf-8' ? bytes.toString('utf8').replace(/^\uFEFF/, '') : iconv.decode(bytes, 'gb18030');
  return { text, encoding };
}

/** `="2026100112345"`, a leading tab or quote: Excel tricks around long numbers. */
export function cell(v: unknown): string {
  return String(v ?? '')
    .trim()
    .replace(/^="?(.*?)"?$/, '$1')
    .replace(/^[\t']+/, '')
    .trim();
}

/** "浙江省 杭州市 西湖区 …" → 浙江 / 杭州 (province as the demo shop and rules write it). */
export function provinceCity(address: string): { province: string | null; city: string | null } {
  const parts = address.trim().split(/\s+/);
  if (!parts[0]) return { province: null, city: null };
  const province = parts[0].replace(/(壮族自治区|回族自治区|维吾尔自治区|特别行政区|自治区|省|市)$/, '');
  const city = parts[1] ? parts[1].replace(/市$/, '') : null;
  return { province: province || null, city: city || null };
}

/**
 * "2026-10-01 10:00:00" (or 2026/10/01 10:00) in the shop's time zone → epoch ms; null if empty or
 * "null"; `{ invalid }` with why. An impossible date or time, or one outside the span every stored
 * time must fall in, is refused as the other imports refuse it (input-limits.ts: impossibleCalendar,
 * instantInRange): 2026-11-31 10:00:00 was stored as 1 December.
 */
export function localTime(text: string, timezone: string): number | null | { invalid: string } {
  const t = text.trim();
  if (t === '' || t === 'null' || t === '-') return null;
  const m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(t);
  const like = `"${t.slice(0, 60)}" is not a date-time like 2026-10-01 10:00:00`;
  if (!m) return { invalid: like };
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number);
  const quoted = `"${t.slice(0, 60)}"`;
  const impossible = impossibleCalendar(y, mo, d, h, mi, s);
  if (impossible && 'month' in impossible) return { invalid: `${quoted} is not a date: there is no month ${mo}` };
  if (impossible && 'days' in impossible) return { invalid: `${quoted} is not a date: ${y}-${String(mo).padStart(2, '0')} has ${impossible.days} days` };
  if (impossible) return { invalid: `${quoted} is not a time of day (00:00:00 to 23:59:59)` };
  const ms = zonedInstant(y, mo, d, h, mi, timezone) + s * 1000;
  // The span the CSV import and the API hold every time to (input-limits.ts): 1900-01-01 was
  // stored here, and its order read as 126 years old in recency and lifecycle figures.
  if (!instantInRange(ms)) return { invalid: `${quoted} is out of range: ${INSTANT_SPAN_WORDS}` };
  return ms;
}

export interface TaobaoRow {
  line: number;
  customer?: { externalId: string; name: string | null; phone: string | null; province: string | null; city: string | null; device?: 'mobile' | 'pc' };
  order?: { externalId: string; customerExternalId: string; status: OrderStatus; amount: number; createdAt: number; paidAt: number | null; promotion: string | null; coupon: string | null; items: { sku: string; category: string; quantity: number }[] };
  error?: { field: string; message: string };
}

/** Category of an item: 宝贝种类/类目 when the export has it, else a keyword of the title. */

export function categoryOf(category: string, title: string): string {
  // The seller center's order report fills 宝贝种类 with how many different items the order holds
  // ("1", "2"), not with their kind: read as a category, every order of a real export was in
  // category "1" (and the categories facts and the segments on them with it). A number is no
  // category; the title says what was bought.
  const kind = /^\d+$/.test(category.trim()) ? '' : category;
  const known = categoryOfTitle(kind);
  if (known) return known;
  if (kind) return kind;
  return categoryOfTitle(title) ?? 'other';
}

/** Parses the whole export (decoded text) into customer and order inputs, row by row. */
export async function parseTaobaoExport(text: string, timezone: string): Promise<{ header: string[]; rows: TaobaoRow[] }> {
  // The import's own CSV reader (csv-records.ts), which reads Excel's unquoted ="…" text guard
  // around order numbers; a file it cannot read is refused naming the line.
  const records: string[][] = [];
  /** The file line each record starts on: a buyer's message (买家留言) may run over several lines. */
  const startLines: number[] = [];
  try {
    for await (const block of csvRecordBlocks([text])) {
      for (const r of block) {
        records.push(r.fields);
        startLines.push(r.line - r.fields.reduce((n, f) => n + lineBreaksIn(f), 0));
      }
    }
  } catch (e) {
    if (e instanceof CsvError) {
      const line = (e as CsvError & { lines?: number }).lines ?? 0;
      throw new TaobaoFormatError(`line ${line}: ${csvErrorWords(e)}`);
    }
    throw e;
  }
  const header = (records[0] ?? []).map((h) => cell(h));
  const missing = [TAOBAO_COLUMNS.orderId, TAOBAO_COLUMNS.buyer, TAOBAO_COLUMNS.amount, TAOBAO_COLUMNS.status, TAOBAO_COLUMNS.created].filter((c) => !header.includes(c));
  if (missing.length) throw new TaobaoFormatError(`not a Taobao order export: missing column(s) ${missing.join(', ')} (found: ${header.slice(0, 8).join(', ')}…)`);
  const rows: TaobaoRow[] = [];
  records.slice(1).forEach((rec, i) => {
    // Its line in the file, not its row in Excel: counting rows (i + 2) put every error after a
    // multi-line buyer message that many lines too early (walkthrough).
    const line = startLines[i + 1]!;
    const get = (col: string) => cell(rec[header.indexOf(col)]);
    const fail = (field: string, message: string) => rows.push({ line, error: { field, message } });
    // A row cut short read its missing cells as empty: 8 of 14 values imported an unpaid order.
    if (rec.length < header.length) return fail(WHOLE_ROW, fieldCountError(header, rec.length));
    const orderId = get(TAOBAO_COLUMNS.orderId);
    const buyer = get(TAOBAO_COLUMNS.buyer);
    if (!orderId) return fail(TAOBAO_COLUMNS.orderId, 'required');
    if (!buyer) return fail(TAOBAO_COLUMNS.buyer, 'required');
    const amount = Number(get(TAOBAO_COLUMNS.amount).replace(/[,¥￥]/g, ''));
    if (!Number.isFinite(amount) || amount < 0) return fail(TAOBAO_COLUMNS.amount, `"${get(TAOBAO_COLUMNS.amount)}" is not an amount`);
    const createdAt = localTime(get(TAOBAO_COLUMNS.created), timezone);
    if (createdAt === null) return fail(TAOBAO_COLUMNS.created, `"${get(TAOBAO_COLUMNS.created)}" is not a date-time like 2026-10-01 10:00:00`);
    if (typeof createdAt === 'object') return fail(TAOBAO_COLUMNS.created, createdAt.invalid);
    const paidAt = header.includes(TAOBAO_COLUMNS.paid) ? localTime(get(TAOBAO_COLUMNS.paid), timezone) : null;
    if (paidAt !== null && typeof paidAt === 'object') return fail(TAOBAO_COLUMNS.paid, paidAt.invalid);
    const status = taobaoStatus(get(TAOBAO_COLUMNS.status), paidAt !== null);
    if (!status) return fail(TAOBAO_COLUMNS.status, `unknown order status "${get(TAOBAO_COLUMNS.status)}"`);
    // 退款金额: what was paid back of an order that went on (a partial refund: one of four tins
    // returned, 交易成功). 买家实际支付金额 still says what was paid, so the order counted the
    // returned part in the customer's total spent and order value. A refunded or cancelled order
    // counts nothing anyway and keeps its amount (the refund event says what it was).
    const refundText = get(TAOBAO_COLUMNS.refunded).replace(/[,¥￥]/g, '');
    const refund = refundText === '' ? 0 : Number(refundText);
    if (!Number.isFinite(refund) || refund < 0) return fail(TAOBAO_COLUMNS.refunded, `"${get(TAOBAO_COLUMNS.refunded)}" is not an amount`);
    if (refund > amount && status !== 'refunded' && status !== 'cancelled') return fail(TAOBAO_COLUMNS.refunded, `${refund} is more than 买家实际支付金额 ${amount}`);
    const kept = status === 'refunded' || status === 'cancelled' ? amount : Math.round((amount - refund) * 100) / 100;
    if (status !== 'created' && status !== 'cancelled' && paidAt === null) return fail(TAOBAO_COLUMNS.paid, `a "${get(TAOBAO_COLUMNS.status)}" order needs 订单付款时间`);
    const paid = status === 'created' || status === 'cancelled' ? null : paidAt;
    // The same rule as inputSchemas' orders (this export does not go through them): never paid
    // before created; a paidAt within the clock-skew tolerance is stored as createdAt.
    const paidBeforeCreated = paid !== null && paid < createdAt ? checkPaidAfterCreated(createdAt, paid, timezone) : null;
    if (paidBeforeCreated) return fail(TAOBAO_COLUMNS.paid, paidBeforeCreated.replace('createdAt', TAOBAO_COLUMNS.created));
    // Only an export with the column says the device (an empty cell there is a computer's order).
    const device = header.includes(TAOBAO_COLUMNS.mobile) ? taobaoDevice(get(TAOBAO_COLUMNS.mobile)) : undefined;
    if (device === null) return fail(TAOBAO_COLUMNS.mobile, `"${get(TAOBAO_COLUMNS.mobile)}" is neither 手机订单 (a phone's order) nor empty (a computer's)`);
    const { province, city } = provinceCity(get(TAOBAO_COLUMNS.address));
    const title = get(TAOBAO_COLUMNS.title);
    const kinds = get(TAOBAO_COLUMNS.category);
    const category = categoryOf(/^\d+$/.test(kinds) ? get(TAOBAO_COLUMNS.categoryAlt) : kinds || get(TAOBAO_COLUMNS.categoryAlt), title);
    const quantity = Math.max(1, Math.trunc(Number(get(TAOBAO_COLUMNS.quantity)) || 1));
    const coupon = get(TAOBAO_COLUMNS.coupon) || get(TAOBAO_COLUMNS.couponAlt) || null;
    const remark = get(TAOBAO_COLUMNS.promotion);
    const promotion = /双11|双十一/.test(remark + title) ? 'double11' : null;
    rows.push({
      line,
      customer: { externalId: buyer, name: get(TAOBAO_COLUMNS.receiver) || buyer, phone: get(TAOBAO_COLUMNS.phone) || null, province, city, ...(device ? { device } : {}) },
      order: { externalId: orderId, customerExternalId: buyer, status, amount: kept, createdAt, paidAt: paid === null ? null : Math.max(paid, createdAt), promotion, coupon, items: [{ sku: title.slice(0, 60) || orderId, category, quantity }] },
    });
  });
  return { header, rows };
}

export class TaobaoFormatError extends Error {}

/** Line breaks inside a value (CR LF, LF or a lone CR each one line, as csv-records.ts counts them). */
function lineBreaksIn(value: string): number {
  let n = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 10) n++;
    else if (c === 13 && value.charCodeAt(i + 1) !== 10) n++;
  }
  return n;
}
