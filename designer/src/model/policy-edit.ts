import { isCollection, isMap, isScalar, isSeq, parse, parseDocument, type Document } from 'yaml';

/**
 * The contact-rules page's edit of rules/policy.yaml. The server would accept the policy as JSON,
 * but then writes it out anew (api/policy/policy.controller.ts: `stringify(body)`), and every
 * comment of the file — the shop's reasons for its limits — is gone. So the page sends
 * `{ yaml }`: the file as loaded, with only the changed values set through the `yaml` Document
 * API, which keeps comments, key order and quoting of everything it does not touch.
 */

/** The parts of the policy the page edits, as the file writes them; anything else in the file stays as it is. */
export interface PolicyDraft {
  caps: Record<string, unknown>[];
  quietHours: Record<string, Record<string, unknown>>;
  /** The give-up rule; null: the shop gives no one up (no `giveUp:` in the file). */
  giveUp: Record<string, unknown> | null;
  /** Opt-out event, block lists, block rules; {} when the file leaves all to their defaults. */
  suppression: Record<string, unknown>;
}

/** The give-up rule an admin switches on: the file's own example (4 unanswered touches in 60 days pause marketing for 90). */
export function newGiveUp(): Record<string, unknown> {
  return { after: 4, within: '60d', pauseFor: '90d', answeredBy: ['order_paid', 'click'] };
}

/** A cap counts in exactly one way: a rolling window, a calendar period, or the campaign. */
export type CapCount = 'window' | 'period' | 'campaign';
export const CAP_COUNTS: readonly CapCount[] = ['window', 'period', 'campaign'];

export function capCount(cap: Record<string, unknown>): CapCount {
  if (cap.campaign === true) return 'campaign';
  if (cap.period !== undefined) return 'period';
  return 'window';
}

/** The cap counted the other way: the other ways' fields go (the schema refuses two), the new one gets a start value. */
export function withCapCount(cap: Record<string, unknown>, count: CapCount): Record<string, unknown> {
  const out = { ...cap };
  delete out.window;
  delete out.period;
  delete out.campaign;
  if (count === 'window') out.window = typeof cap.window === 'string' ? cap.window : '24h';
  if (count === 'period') out.period = typeof cap.period === 'string' ? cap.period : 'month';
  if (count === 'campaign') out.campaign = true;
  return out;
}

/** A new cap: an id not yet taken, one marketing message a day. */
export function newCap(taken: readonly Record<string, unknown>[]): Record<string, unknown> {
  const ids = new Set(taken.map((c) => c.id));
  let n = taken.length + 1;
  while (ids.has(`cap-${n}`)) n++;
  return { id: `cap-${n}`, max: 1, window: '24h', categories: ['marketing'] };
}

/**
 * The draft of the policy as the file writes it (GET /api/policy `yaml`), not as the server reads
 * it: the server's copy has the defaults filled in, and saving those would write `categories:
 * [marketing, care, transactional]` into every quiet time the shop left at its default.
 */
export function policyDraft(yamlText: string): PolicyDraft {
  let policy: unknown = null;
  try {
    policy = parse(yamlText);
  } catch {
    policy = null;
  }
  const p = (policy && typeof policy === 'object' ? policy : {}) as Record<string, unknown>;
  const caps = Array.isArray(p.caps) ? p.caps.filter((c) => c && typeof c === 'object').map((c) => ({ ...(c as Record<string, unknown>) })) : [];
  const qh = p.quietHours && typeof p.quietHours === 'object' ? (p.quietHours as Record<string, Record<string, unknown>>) : {};
  const object = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? { ...(v as Record<string, unknown>) } : null);
  return { caps, quietHours: Object.fromEntries(Object.entries(qh).map(([ch, q]) => [ch, { ...q }])), giveUp: object(p.giveUp), suppression: object(p.suppression) ?? {} };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const present = (v: unknown) => v !== undefined && v !== '';

/**
 * `text` (rules/policy.yaml as loaded) with the draft's caps, quiet hours, give-up rule and suppression set. Values that did
 * not change keep their node (and comments); a changed scalar keeps its node too, so a comment
 * beside `max: 1` stays beside the new number.
 */
export function editedPolicyYaml(text: string, draft: PolicyDraft): string {
  const doc = parseDocument(text.trim() ? text : '{}\n');
  if (!isMap(doc.contents)) doc.contents = doc.createNode({}) as unknown as typeof doc.contents;
  sync(doc, ['caps'], draft.caps);
  sync(doc, ['quietHours'], draft.quietHours);
  // Switched off: the key goes (the schema's "no giveUp" is the only way to say "never give up").
  if (draft.giveUp === null) {
    if (doc.hasIn(['giveUp'])) doc.deleteIn(['giveUp']);
  } else if (draft.giveUp) sync(doc, ['giveUp'], draft.giveUp);
  if (draft.suppression) sync(doc, ['suppression'], draft.suppression);
  // No padding inside flow lists: `[marketing]` as the file writes it, not `[ marketing ]`.
  return doc.toString({ flowCollectionPadding: false });
}

function sync(doc: Document, path: (string | number)[], value: unknown): void {
  const node = doc.getIn(path, true);
  // Nothing to write where the file has nothing: no `caps: []` appears in a file that never had caps.
  if (node === undefined && value !== null && typeof value === 'object' && Object.keys(value).length === 0) return;
  if (Array.isArray(value) && value.every((v) => v && typeof v === 'object' && !Array.isArray(v))) {
    if (!isSeq(node)) return void doc.setIn(path, doc.createNode(value));
    value.forEach((item, i) => sync(doc, [...path, i], item));
    for (let i = node.items.length - 1; i >= value.length; i--) doc.deleteIn([...path, i]);
    return;
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => present(v));
    if (!isMap(node)) return void doc.setIn(path, doc.createNode(Object.fromEntries(entries)));
    for (const [k, v] of entries) sync(doc, [...path, k], v);
    const keep = new Set(entries.map(([k]) => k));
    for (const pair of [...node.items]) {
      const key = isScalar(pair.key) ? pair.key.value : pair.key;
      if (typeof key === 'string' && !keep.has(key)) doc.deleteIn([...path, key]);
    }
    return;
  }
  // A scalar or a list of words (channels: [sms]): set only when it changed.
  const old = isCollection(node) || isScalar(node) ? node.toJSON() : node;
  if (same(old, value)) return;
  if (isScalar(node) && !Array.isArray(value)) {
    node.value = value;
    return;
  }
  const fresh = doc.createNode(value);
  // `categories: [marketing]` stays on one line when it was written so.
  if (isSeq(node) && isSeq(fresh)) fresh.flow = node.flow;
  doc.setIn(path, fresh);
}
