/**
 * Reader for the CDNOW purchase history (`data/cdnow/cdnow_sample.txt`; its README gives the
 * source and citation), the real data set we check the lifecycle analysis on. Each line is whitespace-separated:
 *
 *   customer_id  cohort_id  YYYYMMDD  num_cds  dollar_value
 *
 * or the 4 columns of the CDNOW master file (customer_id YYYYMMDD num_cds dollar_value; cohort 0).
 *
 * The file uses CRLF line endings and mixes tabs and spaces; blank lines are skipped. Dates have
 * no time of day, so an order's instant is UTC midnight of its date and the analysis of CDNOW
 * runs in the 'UTC' time zone (calendar days then match the file's dates exactly).
 */
export interface CdnowOrder {
  /** Customer id as written (leading zeros kept, e.g. "00004"). */
  customerId: string;
  cohortId: string;
  /** UTC midnight of the order date, epoch ms. */
  at: number;
  cds: number;
  amount: number;
  /** 1-based line in the file, for messages. */
  line: number;
}

/** CDNOW's data ends on 1998-06-30; its natural "now" for recency is the day after. */
export const CDNOW_NOW = Date.UTC(1998, 6, 1);
export const CDNOW_TIMEZONE = 'UTC';

export class CdnowFormatError extends Error {
  constructor(
    readonly line: number,
    readonly field: string,
    readonly detail: string,
  ) {
    // A line with the wrong number of columns is wrong as a whole: no field to name.
    super(field === '(row)' ? `line ${line}: ${detail}` : `line ${line}, field ${field}: ${detail}`);
  }

  /** As an import prints a row's problem: `file:line: field: what` (no field when the line is wrong as a whole). */
  at(file: string): string {
    return `${file}:${this.line}: ${this.field === '(row)' ? '' : `${this.field}: `}${this.detail}`;
  }
}

const FIELDS = ['customer_id', 'cohort_id', 'date', 'num_cds', 'dollar_value'] as const;

function parseDate(text: string, line: number): number {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const ms = Date.UTC(y, mo - 1, d);
    const back = new Date(ms);
    // Date.UTC rolls 19970231 over to March; reject instead of silently moving the order.
    if (back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d) return ms;
  }
  throw new CdnowFormatError(line, 'date', `"${text}" is not a calendar date written YYYYMMDD`);
}

/** Parses the whole file text; the first bad line throws a CdnowFormatError naming line and field. */
export function parseCdnow(text: string): CdnowOrder[] {
  const orders: CdnowOrder[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].trim();
    if (raw === '') continue;
    const line = i + 1;
    const parts = raw.split(/\s+/);
    // The CDNOW "master" file has no cohort column: customer_id date num_cds dollar_value.
    if (parts.length === FIELDS.length - 1) parts.splice(1, 0, '0');
    if (parts.length !== FIELDS.length) {
      const missing = FIELDS[Math.min(parts.length, FIELDS.length - 1)];
      throw new CdnowFormatError(line, parts.length < FIELDS.length ? missing : '(row)', parts.length < FIELDS.length ? `expected ${FIELDS.length} fields (${FIELDS.join(' ')}) or the master file's 4 (customer_id date num_cds dollar_value), found ${parts.length}` : `wrong number of columns: expected ${FIELDS.length} (${FIELDS.join(' ')}) or the master file's 4 (customer_id date num_cds dollar_value), got ${parts.length}`);
    }
    const [customerId, cohortId, date, cdsText, amountText] = parts;
    if (!/^\d+$/.test(customerId)) throw new CdnowFormatError(line, 'customer_id', `"${customerId}" is not a whole number`);
    if (!/^\d+$/.test(cohortId)) throw new CdnowFormatError(line, 'cohort_id', `"${cohortId}" is not a whole number`);
    const at = parseDate(date, line);
    if (!/^\d+$/.test(cdsText)) throw new CdnowFormatError(line, 'num_cds', `"${cdsText}" is not a whole number`);
    const amount = Number(amountText);
    if (!/^\d+(\.\d+)?$/.test(amountText) || !Number.isFinite(amount)) throw new CdnowFormatError(line, 'dollar_value', `"${amountText}" is not a non-negative amount`);
    orders.push({ customerId, cohortId, at, cds: Number(cdsText), amount, line });
  }
  return orders;
}
