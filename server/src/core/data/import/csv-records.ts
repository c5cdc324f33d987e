import { Readable } from 'node:stream';
import { parse } from 'csv-parse';

/**
 * CSV records (arrays of field texts) with csv-parse's line numbers, in blocks, as the import
 * reads them (`bom`, `skip_empty_lines`, `relax_column_count`, no trimming, `,` and `"`).
 *
 * Why not csv-parse alone: its general machine (byte by byte, a Buffer per field, an `info`
 * object per record) was ~17% of the import's parser thread and much of its garbage. Most shop
 * exports have no quotes at all, so a line without `"` is split here on its commas (one native
 * `split`); so is a line whose quoted fields are simple (`"text"`, no quote, comma or line break
 * inside: seller-center exports quote every field). The first line this fast path cannot vouch
 * for — a quote it cannot take off, a carriage return that is not
 * part of the file's line ending, a U+FFFD (bytes that were not UTF-8), a lone `\r` line ending —
 * hands the rest of the file to csv-parse, which then gives the records, line numbers and errors
 * it always gave: it is fed the header line as read and one empty line for each line already
 * taken (empty lines are skipped but counted), so its line count and its discovered line ending
 * are the ones it would have had; the header record it reads again is dropped.
 */
export interface CsvRecord {
  /** csv-parse's `info.lines`: the 1-based line the record ends on. */
  line: number;
  fields: string[];
}

export type TextSource = AsyncIterable<Buffer | string> | Iterable<Buffer | string>;

const CSV_OPTIONS = { bom: true, info: true, skip_empty_lines: true, relax_column_count: true, trim: false } as const;

/** A file with no line ending in this many bytes goes to csv-parse (the fast path reads whole lines). */
const MAX_PENDING = 1 << 20;

/** The records of a CSV file in blocks, the header first (the first record). */
export async function* csvRecordBlocks(source: TextSource, maxPending = MAX_PENDING): AsyncGenerator<CsvRecord[]> {
  const it = (source as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]?.() ?? toAsync(source as Iterable<Buffer | string>);
  // Bytes, as csv-parse reads them (it encodes text chunks as UTF-8). Only whole lines are decoded,
  // so a character is never split, and the bytes of what is not taken yet can go to csv-parse as
  // they came (an invalid byte right after a closing quote is named in its message).
  let pending: Buffer = Buffer.alloc(0);
  let done = false;
  const pull = async (): Promise<void> => {
    const next = await it.next();
    if (next.done) done = true;
    else {
      const b = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
      pending = pending.length === 0 ? b : Buffer.concat([pending, b]);
    }
  };
  // csv-parse looks at the first 3 bytes for a BOM: UTF-8's is skipped; after UTF-16LE's (FF FE)
  // it reads the file as UTF-16, which this path does not.
  while (!done && pending.length < 3) await pull();
  if (pending.length >= 2 && pending[0] === 0xff && pending[1] === 0xfe) {
    yield* general([pending], it, done, false, false);
    return;
  }
  const bom = pending.length >= 3 && pending[0] === 0xef && pending[1] === 0xbb && pending[2] === 0xbf ? pending.subarray(0, 3) : null;
  if (bom) pending = pending.subarray(3);
  /** Decoded whole lines not taken yet, and their bytes. */
  let text = '';
  let textRaw: Buffer = Buffer.alloc(0);
  /** Line number of the line that starts at text[0]. */
  let line = 1;
  let delimiter: '\n' | '\r\n' | null = null;
  /** The file up to the header record's line ending, with it (replayed to csv-parse); null before it is read. */
  let headerRaw: Buffer | null = null;
  let headerLine = 0;
  const fromStart = () => (bom ? [bom, textRaw, pending] : [textRaw, pending]);
  for (;;) {
    if (!done) await pull();
    const cut = done ? pending.length - 1 : pending.lastIndexOf(10);
    if (cut === -1 && !done) {
      if (pending.length <= maxPending) continue;
      if (headerRaw === null) yield* general(fromStart(), it, done, false);
      else yield* general([bom ?? '', headerRaw, (delimiter ?? '\n').repeat(line - headerLine - 1), pending], it, done, true);
      return;
    }
    const taken = pending.subarray(0, cut + 1);
    pending = pending.subarray(cut + 1);
    text += taken.toString();
    textRaw = textRaw.length === 0 ? taken : Buffer.concat([textRaw, taken]);
    if (delimiter === null) {
      // csv-parse takes the file's line ending from its first \r\n, \n or lone \r.
      const lf = text.indexOf('\n');
      const cr = text.indexOf('\r');
      const brk = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
      if (brk !== -1 && brk === cr && (cr + 1 === text.length || text.charCodeAt(cr + 1) !== 10)) {
        yield* general(fromStart(), it, done, false);
        return;
      }
      // No line ending at all (one line, at the end): read below as the last line.
      delimiter = brk === cr && brk !== -1 ? '\r\n' : '\n';
    }
    const dl = delimiter.length;
    const block: CsvRecord[] = [];
    let pos = 0;
    let quote = text.indexOf('"');
    let cr = text.indexOf('\r');
    let bad = text.indexOf('\uFFFD');
    let lineAt = line;
    for (;;) {
      let nl = text.indexOf('\n', pos);
      let end: number;
      if (nl === -1) {
        if (pos >= text.length) break;
        end = nl = text.length; // the last line, without a line ending
      } else end = dl === 2 ? nl - 1 : nl;
      // What this split cannot vouch for, anywhere on the line (its own line ending aside).
      if (quote !== -1 && quote < pos) quote = text.indexOf('"', pos);
      if (cr !== -1 && cr < pos) cr = text.indexOf('\r', pos);
      if (bad !== -1 && bad < pos) bad = text.indexOf('\uFFFD', pos);
      const endsWell = dl === 1 || nl === text.length || (end >= pos && text.charCodeAt(end) === 13);
      // A line with quotes stays here only if each of its fields is plain or wholly quoted text
      // without a quote, comma or line break of its own (a Taobao export quotes every field).
      const quoted = quote !== -1 && quote < nl;
      const fields = quoted && endsWell ? unquotedFields(text.slice(pos, end)) : null;
      if (!endsWell || (quoted && fields === null) || (bad !== -1 && bad < nl) || (cr !== -1 && cr < nl && !(dl === 2 && cr === end && nl < text.length))) {
        if (headerRaw === null) {
          yield* general(fromStart(), it, done, false);
          return;
        }
        if (block.length) yield block;
        const rest = textRaw.subarray(pos === 0 ? 0 : Buffer.byteLength(text.slice(0, pos)));
        yield* general([bom ?? '', headerRaw, delimiter.repeat(lineAt - headerLine - 1), rest, pending], it, done, true);
        return;
      }
      if (end > pos) {
        if (headerRaw === null) {
          headerRaw = Buffer.from(textRaw.subarray(0, Buffer.byteLength(text.slice(0, Math.min(nl + 1, text.length)))));
          headerLine = lineAt;
        }
        block.push({ line: lineAt, fields: fields ?? text.slice(pos, end).split(',') });
      }
      pos = nl + 1;
      lineAt++;
    }
    if (block.length) yield block;
    if (done) return;
    // Before the header is read, the text is kept from the file's start (only empty lines so far):
    // a hand-over then replays all of it.
    if (headerRaw !== null) {
      text = '';
      textRaw = Buffer.alloc(0);
      line = lineAt;
    }
  }
}

/**
 * The fields of a line that has quotes, when csv-parse would read it as a plain split with each
 * `"…"` field's quotes taken off: every field either has no `"` or is `"` + text without `"` +
 * `"` (so no comma, escaped quote or line break inside a quoted field), or Excel's `="…"` text
 * guard around such text (read as the text inside). Otherwise null: the line
 * goes to csv-parse. (The caller has checked the line for carriage returns and U+FFFD.)
 */
function unquotedFields(line: string): string[] | null {
  const fields = line.split(',');
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i];
    const q = f.indexOf('"');
    if (q === -1) continue;
    const last = f.length - 1;
    // Excel's text guard, ="2026100112345001" unquoted (Chinese shop exports write order numbers
    // so): the text inside. csv-parse refuses it (a quote inside an unquoted field), so without
    // this a whole Taobao export was refused on its first order number.
    if (q === 1 && f.charCodeAt(0) === 61 && last > 1 && f.charCodeAt(last) === 34 && f.indexOf('"', 2) === last) {
      fields[i] = f.slice(2, last);
      continue;
    }
    if (q !== 0 || last === 0 || f.charCodeAt(last) !== 34 || f.indexOf('"', 1) !== last) return null;
    fields[i] = f.slice(1, last);
  }
  return fields;
}

const GUARD = Buffer.from('="');
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
/** `,` `\n` `\r`: the byte before a field's first. */
const isBreak = (b: number) => b === 44 || b === 10 || b === 13;

/**
 * The bytes csv-parse reads, with the `=` of Excel's text guard taken off each field that starts
 * with `="` outside a quoted field: `="2026100112345001"` is then the quoted field
 * `"2026100112345001"`, read as the text inside, as the fast path reads it (unquotedFields). A line
 * the fast path hands over (it also has a quoted comma or line break) used to be refused by
 * csv-parse on its first guarded order number ("a quote is found on field 0"). Only `=` bytes are
 * removed, so line numbers stay csv-parse's own; quote state is followed with native `indexOf`
 * (the parity of `"` between guards), not byte by byte. A field like `="12"3` is still refused by
 * csv-parse (a closing quote inside a field), as before.
 */
export async function* withoutTextGuards(src: AsyncIterable<Buffer | string>): AsyncGenerator<Buffer> {
  let inQuote = false;
  /** Whether the next byte starts a field (outside quotes, after a break or at the start). */
  let fieldStart = true;
  let carry: Buffer | null = null;
  let first = true;
  for await (const chunk of src) {
    let b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (carry) {
      b = Buffer.concat([carry, b]);
      carry = null;
    }
    // A trailing `=` waits for the next chunk: its `"` may start it.
    if (b.length && b[b.length - 1] === 61) {
      carry = b.subarray(b.length - 1);
      b = b.subarray(0, b.length - 1);
    }
    if (!b.length) continue;
    // The file's BOM does not start the first field's text.
    const bomEnd = first && b.length >= 3 && b.subarray(0, 3).equals(UTF8_BOM) ? 3 : 0;
    first = false;
    const startsAt = (i: number) => (i === bomEnd ? (bomEnd ? true : fieldStart) : isBreak(b[i - 1]));
    const parts: Buffer[] = [];
    let copied = 0;
    let counted = 0;
    const countQuotes = (to: number) => {
      for (let q = b.indexOf(34, counted); q !== -1 && q < to; q = b.indexOf(34, q + 1)) inQuote = !inQuote;
      counted = to;
    };
    for (let p = b.indexOf(GUARD, bomEnd); p !== -1; p = b.indexOf(GUARD, p + 1)) {
      countQuotes(p);
      if (!inQuote && startsAt(p)) {
        parts.push(b.subarray(copied, p));
        copied = p + 1;
      }
    }
    countQuotes(b.length);
    fieldStart = b.length === bomEnd ? fieldStart || bomEnd > 0 : !inQuote && isBreak(b[b.length - 1]);
    if (copied === 0) yield b;
    else {
      parts.push(b.subarray(copied));
      yield Buffer.concat(parts);
    }
  }
  if (carry) yield carry;
}

async function* toAsync<T>(it: Iterable<T>): AsyncGenerator<T> {
  yield* it;
}

/**
 * csv-parse over `head` and what is left of the source, as it comes, in blocks as it has records
 * ready. `replay`: `head` starts with the header line again, whose record is dropped.
 */
async function* general(head: (Buffer | string)[], it: AsyncIterator<Buffer | string>, sourceDone: boolean, replay: boolean, utf8 = true): AsyncGenerator<CsvRecord[]> {
  async function* rest(): AsyncGenerator<Buffer | string> {
    for (const h of head) if (h.length) yield h;
    if (sourceDone) return;
    for (;;) {
      const next = await it.next();
      if (next.done) return;
      if (next.value.length) yield next.value;
    }
  }
  // A UTF-16 file (its BOM) is csv-parse's alone: its bytes are not ASCII-compatible.
  const parser = Readable.from(utf8 ? withoutTextGuards(rest()) : rest()).pipe(parse(CSV_OPTIONS));
  let ended = false;
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const poke = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  parser.on('readable', poke);
  parser.on('end', () => {
    ended = true;
    poke();
  });
  parser.on('error', (e: Error) => {
    failure = e;
    poke();
  });
  let skip = replay;
  // csv-parse counts a CR LF inside a quoted value as two lines (a buyer's message typed on
  // Windows, an Excel cell with a line break): every row after it was named one line too far
  // down (`customers.csv:5` for the row on line 4). Each CR LF in the values read so far is taken
  // back once.
  let crlfInValues = 0;
  try {
    for (;;) {
      const block: CsvRecord[] = [];
      let item: { record: string[]; info: { lines: number } } | null;
      while ((item = parser.read() as typeof item) !== null) {
        for (const f of item.record) for (let i = f.indexOf('\r\n'); i !== -1; i = f.indexOf('\r\n', i + 2)) crlfInValues++;
        if (skip) {
          skip = false;
          continue;
        }
        block.push({ line: item.info.lines - crlfInValues, fields: item.record });
      }
      if (block.length > 0) {
        yield block;
        continue;
      }
      if (failure) throw failure;
      if (ended) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    if (!ended) parser.destroy();
  }
}
