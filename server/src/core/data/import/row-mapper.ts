import {
  CHANNELS,
  inputSchemas,
  type CustomerInput,
  type EventInput,
  type OrderInput,
} from '../model.js';
import type { ImportFormat } from './row-reader.js';
import { acceptEventInput, acceptEventInputWithText } from '../event-input-check.js';
import { describeRowIssues } from './row-issue-words.js';
import { unknownNdjsonFields } from './ndjson-fields.js';
import { exportedText } from './excel-view.js';

/**
 * Row → input mapping. CSV cells are text, so this turns the documented CSV columns into the
 * zod input shape (docs/data-import.md); NDJSON lines already have that shape. Either way the
 * one zod schema in model.ts validates the whole row before anything is written.
 */
export const IMPORT_KINDS = ['customers', 'orders', 'events'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export interface RowIssue {
  /** The field (a dotted path, `items.0.quantity`), or WHOLE_ROW when the issue is the row's as a whole. */
  field: string;
  message: string;
}
/**
 * The field of an issue that concerns the whole row (a CSV row with too few or too many values,
 * an NDJSON line that is no JSON object): kept as `(row)` in the report's JSON (REST, --json), but
 * never printed as a field name: the printed line says `file:line: <what is wrong with the row>`
 * (report.ts formatRowError).
 */
export const WHOLE_ROW = '(row)';
export type MappedRow<T> = { ok: true; value: T } | { ok: false; issues: RowIssue[] };
export type InputOf<K extends ImportKind> = K extends 'customers' ? CustomerInput : K extends 'orders' ? OrderInput : EventInput;

const CUSTOMER_COLUMNS = ['externalId', 'name', 'phone', 'email', 'wechatId', 'province', 'city', 'device', 'tags', ...CHANNELS.map((c) => `consent_${c}`)];
const ORDER_COLUMNS = ['externalId', 'customerExternalId', 'status', 'amount', 'createdAt', 'paidAt', 'promotion', 'coupon', 'items'];
const EVENT_COLUMNS = ['type', 'customerExternalId', 'occurredAt', 'idempotencyKey', 'properties'];
export const KNOWN_COLUMNS: Record<ImportKind, readonly string[]> = { customers: CUSTOMER_COLUMNS, orders: ORDER_COLUMNS, events: EVENT_COLUMNS };
const KNOWN = KNOWN_COLUMNS;
/** Columns every row needs (model.ts requires them): without the column no row could be imported. */
export const REQUIRED_COLUMNS: Record<ImportKind, readonly string[]> = {
  customers: ['externalId'],
  orders: ['externalId', 'customerExternalId', 'status', 'amount', 'createdAt'],
  events: ['type', 'customerExternalId', 'occurredAt', 'idempotencyKey'],
};

/** CSV header columns the importer does not read (reported, so a typo does not go unnoticed). */
export function ignoredColumns(kind: ImportKind, header: readonly string[]): string[] {
  return header.filter((h) => !KNOWN[kind].includes(h) && !(kind === 'customers' && h.startsWith('attr_') && h.length > 5));
}

// 是/否 and 同意/不同意: a Chinese shop's consent column says so (it was refused, naming the English words only).
const TRUE = new Set(['true', '1', 'yes', 'y', '是', '同意', '允许']);
const FALSE = new Set(['false', '0', 'no', 'n', '否', '不同意', '拒绝', '不允许']);

/** Digits-only text becomes a number (epoch ms, amounts); anything else is left for zod to reject. */
function numberish(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const t = v.trim();
  return t !== '' && Number.isFinite(Number(t)) ? Number(t) : v;
}
const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : v == null ? '' : String(v));
const orNull = (v: unknown) => (text(v) === '' ? null : text(v));
const orUndefined = (v: unknown) => (text(v) === '' ? undefined : text(v));

function csvCustomer(r: Record<string, unknown>, issues: RowIssue[]): unknown {
  const out: Record<string, unknown> = {};
  // An export's guards (excel-view.ts: ="…" around a numeric-looking id or phone in the Excel
  // variant, a ' before = + - @ in both) are taken off: the text, never the guard itself.
  for (const k of ['externalId', 'name', 'phone', 'email', 'wechatId', 'province', 'city']) if (k in r) out[k] = exportedText(text(r[k]));
  if ('device' in r) out.device = orNull(r.device)?.toLowerCase() ?? null;
  if ('tags' in r) out.tags = exportedText(text(r.tags)).split('|');
  const consent: Record<string, boolean> = {};
  for (const c of CHANNELS) {
    const col = `consent_${c}`;
    const v = text(r[col]).toLowerCase();
    if (v === '') continue; // empty: not given, the stored consent is kept
    if (TRUE.has(v)) consent[c] = true;
    else if (FALSE.has(v)) consent[c] = false;
    else issues.push({ field: col, message: `expected true/false/1/0/yes/no (是/否) or empty, got "${r[col]}"` });
  }
  if (Object.keys(consent).length) out.consent = consent;
  const attributes: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) if (k.startsWith('attr_') && k.length > 5 && text(v) !== '') attributes[k.slice(5)] = text(v);
  if (Object.keys(attributes).length) out.attributes = attributes;
  return out;
}

function csvItems(v: unknown, issues: RowIssue[]): unknown {
  const t = text(v);
  if (t === '') return [];
  if (t.startsWith('[')) {
    try {
      return JSON.parse(t);
    } catch (e) {
      issues.push({ field: 'items', message: `not a valid JSON array: ${(e as Error).message}` });
      return [];
    }
  }
  return t
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry, i) => {
      const [sku, category, season, quantity, price] = entry.split(':').map((p) => p.trim());
      if (!sku || !category) issues.push({ field: `items.${i}`, message: `expected sku:category[:season[:quantity[:price]]], got "${entry}"` });
      return {
        sku,
        category,
        season: season ? season.toLowerCase() : null,
        quantity: quantity ? numberish(quantity) : undefined,
        price: price ? numberish(price) : undefined,
      };
    });
}

function csvOrder(r: Record<string, unknown>, issues: RowIssue[]): unknown {
  return {
    externalId: text(r.externalId),
    customerExternalId: text(r.customerExternalId),
    status: text(r.status).toLowerCase(),
    amount: orUndefined(r.amount) === undefined ? undefined : numberish(text(r.amount)),
    createdAt: orUndefined(r.createdAt) === undefined ? undefined : numberish(text(r.createdAt)),
    paidAt: orNull(r.paidAt) === null ? null : numberish(text(r.paidAt)),
    promotion: orNull(r.promotion),
    coupon: orNull(r.coupon),
    items: csvItems(r.items, issues),
  };
}

function csvEvent(r: Record<string, unknown>, issues: RowIssue[]): unknown {
  let properties: unknown = {};
  const p = text(r.properties);
  if (p !== '') {
    try {
      properties = JSON.parse(p);
    } catch (e) {
      issues.push({ field: 'properties', message: `not valid JSON: ${(e as Error).message}` });
    }
  }
  return {
    type: text(r.type),
    customerExternalId: text(r.customerExternalId),
    occurredAt: orUndefined(r.occurredAt) === undefined ? undefined : numberish(text(r.occurredAt)),
    idempotencyKey: text(r.idempotencyKey),
    properties,
  };
}

const CSV_MAPPERS: Record<ImportKind, (r: Record<string, unknown>, issues: RowIssue[]) => unknown> = {
  customers: csvCustomer,
  orders: csvOrder,
  events: csvEvent,
};

/**
 * Validates an already-shaped input (NDJSON line, REST body) with the kind's zod schema;
 * times without an offset are wall-clock time in the shop's `timezone`.
 */
export function validateInput<K extends ImportKind>(kind: K, raw: unknown, timezone: string): MappedRow<InputOf<K>> {
  if (kind === 'events') {
    // Well-formed events skip zod (same checks, written out); anything else gets zod's verdict and messages.
    const value = acceptEventInput(raw, timezone);
    if (value) return { ok: true, value: value as InputOf<K> };
  }
  const result = inputSchemas(timezone)[kind].safeParse(raw);
  return result.success ? { ok: true, value: result.data as InputOf<K> } : { ok: false, issues: describeRowIssues(result.error, raw) };
}

/**
 * validateInput of an event, with the JSON text of its properties as they will be stored: the
 * hand-written check's own (it serialises them for the size check anyway), else zod's value's.
 */
export function validateEventInput(raw: unknown, timezone: string): { ok: true; value: EventInput; propertiesJson: string } | { ok: false; issues: RowIssue[] } {
  const accepted = acceptEventInputWithText(raw, timezone);
  if (accepted) return { ok: true, value: accepted.input, propertiesJson: accepted.propertiesJson };
  const result = inputSchemas(timezone).events.safeParse(raw);
  return result.success ? { ok: true, value: result.data, propertiesJson: JSON.stringify(result.data.properties ?? {}) } : { ok: false, issues: describeRowIssues(result.error, raw) };
}

/** Maps and fully validates one raw record; every issue names its field. Offset-less times are the shop's (`timezone`). */
export function mapRow<K extends ImportKind>(kind: K, format: ImportFormat, record: Record<string, unknown>, timezone: string): MappedRow<InputOf<K>> {
  if (format === 'ndjson') {
    // A key no row has refuses the line (ndjson-fields.ts): zod would drop it without a word.
    const unknown = unknownNdjsonFields(kind, record);
    if (unknown.length === 0) return validateInput(kind, record, timezone);
    const validated = validateInput(kind, record, timezone);
    return { ok: false, issues: [...unknown, ...(validated.ok ? [] : validated.issues)] };
  }
  const issues: RowIssue[] = [];
  const shaped = CSV_MAPPERS[kind](record, issues);
  const validated = validateInput(kind, shaped, timezone);
  if (!validated.ok) issues.push(...validated.issues);
  return issues.length ? { ok: false, issues } : validated;
}
