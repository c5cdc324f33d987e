import { hash } from 'node:crypto';
import { shareDetail, sharedPartOf } from '../core/engine/model.js';

/**
 * Shared journey-log details (core/engine/model.ts shareDetail) as `journey_details` rows: the
 * text of a detail many log lines name, stored once under a hash of that text (equal details
 * share a row), the log row naming it in `detail_key`.
 *
 * An entry made of a head and a shared part (entryWithPart: a switch case's label and verdict,
 * then the rule's explanation) is stored as its head and `"$part": <key of the part>`, the part as
 * a row of its own. A Double-11 switch detail is unique to the combination of its eight answers
 * (~3 KB; 75 MB of text at 100,000 customers, the largest table of the simulation), while each
 * answer is shared by many customers: stored by reference, the same details are a third of that.
 * Readers put the entries back together (expandDetail): the same JSON, key for key, as before.
 * A part is stored whole (its own text, no references of its own), so one level of expansion
 * gives back the logged detail. A row may thus be named by log rows (`detail_key`) AND by other
 * rows' `$part`: a clean-up of journey_details must keep both kinds.
 */
export interface StoredDetail {
  key: string;
  json: string;
  /** Rows this detail refers to (its entries' shared parts). */
  parts: { key: string; json: string }[];
}

const PART_REF = '$part';

/** Serialised and keyed once per object (details and parts are shared, read-only objects). */
const stored = new WeakMap<object, StoredDetail>();
/** A part's row, serialised and keyed once per object. */
const whole = new WeakMap<object, { key: string; json: string }>();

export function storedDetail(detail: Record<string, unknown>): StoredDetail {
  let d = stored.get(detail);
  if (!d) {
    const parts: { key: string; json: string }[] = [];
    let json: string;
    if (hasPartEntries(detail)) {
      // The text JSON.stringify gives for `{ name: [{ ...head, $part: key }, …] }`, put together from
      // each entry's own text: an entry (a switch case's label and verdict with its explanation) is
      // one object shared by every detail that holds it, so its text is made once, not once per
      // detail (bench/double11: one detail per combination of eight answers, ~1 for 4 customers).
      json = '{';
      for (const name in detail) {
        if (!Object.hasOwn(detail, name)) continue;
        const value = detail[name];
        let text: string | undefined;
        if (Array.isArray(value)) {
          text = '[';
          for (let i = 0; i < value.length; i++) {
            const entry: unknown = value[i];
            const ref = sharedPartOf(entry) ? entryRef(entry as Record<string, unknown>) : undefined;
            if (ref) parts.push(ref.part);
            text += (i > 0 ? ',' : '') + (ref ? ref.json : (JSON.stringify(entry) ?? 'null'));
          }
          text += ']';
        } else text = JSON.stringify(value);
        if (text !== undefined) json += (json.length > 1 ? ',' : '') + JSON.stringify(name) + ':' + text;
      }
      json += '}';
    } else json = JSON.stringify(detail);
    stored.set(detail, (d = { key: keyOf(json), json, parts }));
  }
  return d;
}

/**
 * A shared detail made by another thread (runtime/switch-thread.ts) that crossed as its stored
 * text only: an empty object marked shared whose stored form is that text, so the store writes
 * exactly the rows the thread's own detail object gives, without serialising or hashing it again.
 */
export function sharedDetailStoredAs(d: StoredDetail): Record<string, unknown> {
  const detail = shareDetail({});
  stored.set(detail, d);
  return detail;
}

/** An entry with a shared part as stored: `{ ...head, "$part": <key> }`'s text and the part's row, once per entry object. */
const refs = new WeakMap<object, { json: string; part: { key: string; json: string } }>();

function entryRef(entry: Record<string, unknown>): { json: string; part: { key: string; json: string } } | undefined {
  let r = refs.get(entry);
  if (!r) {
    const p = sharedPartOf(entry);
    if (!p) return undefined;
    const part = wholeDetail(p.part);
    refs.set(entry, (r = { json: JSON.stringify({ ...p.head, [PART_REF]: part.key }), part }));
  }
  return r;
}

/** A part's row: its whole text (an entryWithPart inside it reads as its plain fields), never references. */
function wholeDetail(part: Record<string, unknown>): { key: string; json: string } {
  let w = whole.get(part);
  if (!w) {
    const json = JSON.stringify(part);
    whole.set(part, (w = { key: keyOf(json), json }));
  }
  return w;
}

// One-shot hash: no Hash object per detail (the same SHA-256 in base64url as createHash gives).
function keyOf(json: string): string {
  return hash('sha256', json, 'base64url');
}

function hasPartEntries(detail: Record<string, unknown>): boolean {
  for (const value of Object.values(detail)) if (Array.isArray(value) && value.some((entry) => sharedPartOf(entry))) return true;
  return false;
}

/** The keys of the parts a parsed stored detail refers to. */
export function partKeys(detail: unknown, into: Set<string>): void {
  if (detail === null || typeof detail !== 'object' || Array.isArray(detail)) return;
  for (const value of Object.values(detail)) {
    if (!Array.isArray(value)) continue;
    for (const entry of value) if (entry && typeof entry === 'object' && typeof (entry as Record<string, unknown>)[PART_REF] === 'string') into.add((entry as Record<string, string>)[PART_REF]);
  }
}

/** A parsed stored detail with its entries' parts put back: `{ ...head, ...part }`, as it was logged. */
export function expandDetail(detail: unknown, parts: Map<string, Record<string, unknown>>): unknown {
  if (detail === null || typeof detail !== 'object' || Array.isArray(detail)) return detail;
  let changed = false;
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(detail)) {
    out[name] = !Array.isArray(value)
      ? value
      : value.map((entry) => {
          const key = entry && typeof entry === 'object' ? (entry as Record<string, unknown>)[PART_REF] : undefined;
          const part = typeof key === 'string' ? parts.get(key) : undefined;
          if (!part) return entry;
          changed = true;
          const { [PART_REF]: _ref, ...head } = entry as Record<string, unknown>;
          return { ...head, ...part };
        });
  }
  return changed ? out : detail;
}
