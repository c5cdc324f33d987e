import { DURATION_PATTERN, formatDuration, parseDuration } from '../flow/duration.js';
import { graphOf, type GraphNode } from '../flow/graph-of.js';
import type { PathProblem } from '../flow/problems.js';
import { paymentReminderSteps } from '../flow/payment-reminder-steps.js';

/**
 * A marketing SMS that comes before its email. The shop's rule of thumb (seed 001, Double 11):
 * email goes 2–3 days before the matching SMS wave, to stagger channels — the cheap email first,
 * the paid SMS to remind. Nothing warned when a journey drew them the other way round. Two cases,
 * each on the SMS step, naming the email step, both warnings (a shop may mean it):
 *
 * - `after`: on a path from the entry, a marketing SMS with no marketing email before it, and a
 *   marketing email after it — the customer gets the SMS first. An email reached only through a
 *   waitForEvent after the SMS (its `timedOut` or `responded` branch) is a follow-up for who did
 *   or did not answer, a second touch rather than the same wave (sleeping-reactivation: SMS, 7
 *   days without an answer, then an email), and is not judged.
 * - `soon`: the nearest marketing email before a marketing SMS on a path goes out less than 2 days
 *   before it, for certain: the waits between them cannot add up to 2 days. Waits are summed as
 *   intervals: `duration` exactly, `untilTime` 0 to 1 day, a waitForEvent 0 to `within` (its
 *   responded branch) or `within` (timedOut); an `untilDate` is a date, so two sends after
 *   different dates are compared by the dates (an audience's `startAt` is the entry's date; a
 *   schedule or event entry has none, so an email before the first `untilDate` and an SMS after
 *   it are not compared). What may take unknown time (a limit that spreads, a send deferred by
 *   its cap) makes the gap unknown, and nothing is said. Quiet hours are not counted: they move a
 *   send by hours, not days.
 *
 * Only marketing sends count (category marketing, the default): transactional and care messages
 * (a shipping notice, 催付 by SMS alone) are not waves of a campaign, and a payment reminder still
 * marked marketing is send-kind-checks.ts's to warn about. A path without both channels (an A/B
 * split of email against SMS, the lost customers' email alone) says nothing. The channel is the
 * step's own; its fallback is not counted.
 *
 * One rule for `rekindle validate`, publishing (API and CLI: a warning they pass on) and the
 * designer (designer/src/model/email-before-sms.ts imports `smsBeforeEmail` and says it in
 * Chinese). Pure, on raw nodes (a half-drawn flow too).
 */
export interface SmsBeforeEmail {
  /** Index of the SMS step in `nodes`. */
  index: number;
  nodeId: string;
  /** The email step it is judged against. */
  email: string;
  kind: 'after' | 'soon';
  /** `soon`: the longest the email can go out before the SMS (ms), under 2 days. */
  gapMs?: number;
}

export const EMAIL_BEFORE_SMS_MS = 2 * 86_400_000;
const DAY = 86_400_000;
/** Steps walked over all paths before giving up (a flow of many switches merging again). */
const PATH_BUDGET = 50_000;

type Raw = Record<string, unknown>;
const asObject = (v: unknown): Raw => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Raw) : {});
const durationOf = (v: unknown): number | null => (typeof v === 'string' && DURATION_PATTERN.test(v) ? parseDuration(v) : null);
const dateOf = (v: unknown): number | null => (typeof v === 'string' && /(Z|[+-]\d{2}:?\d{2})$/i.test(v) && Number.isFinite(Date.parse(v)) ? Date.parse(v) : null);

/**
 * When a customer is at a step: `anchor` (epoch ms of the last untilDate, or of the audience's
 * startAt; null: the unknown moment they entered) plus between `lo` and `hi` ms; `open` when
 * something since the anchor may take unknown time. `epoch` counts the anchors passed and
 * `gates` the waitForEvents passed.
 */
interface When {
  anchor: number | null;
  epoch: number;
  lo: number;
  hi: number;
  open: boolean;
  gates: number;
}

interface Sent {
  index: number;
  id: string;
  channel: 'sms' | 'email';
  at: When;
}

/** The longest an email at `e` can go out before an SMS at `s` on the same path, or null when unknown. */
function longestGap(e: When, s: When): number | null {
  if (s.open) return null;
  if (s.epoch === e.epoch) return s.hi - e.hi;
  if (s.anchor === null || e.anchor === null) return null;
  return s.anchor + s.hi - (e.anchor + e.lo);
}

export function smsBeforeEmail(nodes: readonly unknown[]): SmsBeforeEmail[] {
  const raw = nodes.map(asObject);
  const graph = graphOf(nodes);
  const byId = new Map(graph.filter((g) => g.id !== null).map((g) => [g.id!, g]));
  const entry = graph.find((g) => g.type === 'entry');
  if (!entry) return [];
  const reminders = paymentReminderSteps(nodes);
  const channelOf = (g: GraphNode): 'sms' | 'email' | null => {
    const n = raw[g.index];
    if (g.type !== 'send' || g.id === null || reminders.has(g.id) || (n.category ?? 'marketing') !== 'marketing') return null;
    return n.channel === 'sms' || n.channel === 'email' ? n.channel : null;
  };
  const found = new Map<string, SmsBeforeEmail>();
  const note = (f: SmsBeforeEmail) => {
    const had = found.get(f.nodeId);
    // One warning a step: the email after it over one less than 2 days before it, else the shortest gap.
    if (!had || (had.kind === 'soon' && (f.kind === 'after' || (f.gapMs ?? 0) < (had.gapMs ?? 0)))) found.set(f.nodeId, f);
  };

  /** `at` after the wait or waitForEvent `g`, leaving by `handle`. */
  const after = (g: GraphNode, handle: string, at: When): When => {
    const n = raw[g.index];
    if (g.type === 'wait') {
      const d = durationOf(n.duration);
      if (d !== null) return { ...at, lo: at.lo + d, hi: at.hi + d };
      if (typeof n.untilTime === 'string') return { ...at, hi: at.hi + DAY };
      const date = dateOf(n.untilDate);
      if (date === null) return { ...at, open: true };
      // Customers reach the date's wait before the date as planned (entered earlier); later, they go on at once.
      if (at.anchor === null) return { ...at, anchor: date, epoch: at.epoch + 1, lo: 0, hi: 0 };
      return { ...at, anchor: date, epoch: at.epoch + 1, lo: Math.max(0, at.anchor + at.lo - date), hi: Math.max(0, at.anchor + at.hi - date) };
    }
    if (g.type === 'waitForEvent') {
      const w = durationOf(n.within);
      if (w === null) return { ...at, open: true, gates: at.gates + 1 };
      return { ...at, lo: at.lo + (handle === 'timedOut' ? w : 0), hi: at.hi + w, gates: at.gates + 1 };
    }
    if (g.type === 'limit' && n.mode === 'spread') return { ...at, open: true };
    return at;
  };

  let budget = PATH_BUDGET;
  const onPath = new Set<number>();
  const walk = (g: GraphNode, at: When, sent: Sent[]) => {
    if (onPath.has(g.index) || --budget < 0) return;
    onPath.add(g.index);
    // A send that waits for its cap to allow it may go out any time later.
    const own = g.type === 'send' && raw[g.index].onCapped === 'defer' ? { ...at, open: true } : at;
    const channel = channelOf(g);
    let mine = sent;
    if (channel && g.id !== null) {
      const email = [...sent].reverse().find((x) => x.channel === 'email');
      if (channel === 'sms' && email) {
        const gap = longestGap(email.at, own);
        if (gap !== null && gap < EMAIL_BEFORE_SMS_MS) note({ index: g.index, nodeId: g.id, email: email.id, kind: 'soon', gapMs: Math.max(0, gap) });
      }
      if (channel === 'email' && !email) for (const s of sent) if (s.channel === 'sms' && s.at.gates === own.gates) note({ index: s.index, nodeId: s.id, email: g.id, kind: 'after' });
      mine = [...sent, { index: g.index, id: g.id, channel, at: own }];
    }
    for (const e of g.edges) {
      const next = e.target === null ? undefined : byId.get(e.target);
      if (!next) continue;
      // The capped branch is taken by whom the send did not reach.
      walk(next, after(g, e.handle, own), e.handle === 'capped' ? sent : mine);
    }
    onPath.delete(g.index);
  };
  const startAt = asObject(raw[entry.index].trigger).type === 'audience' ? dateOf(asObject(raw[entry.index].trigger).startAt) : null;
  walk(entry, { anchor: startAt, epoch: 0, lo: 0, hi: 0, open: false, gates: 0 }, []);
  return [...found.values()].sort((a, b) => a.index - b.index);
}

/** smsBeforeEmail as warnings on each SMS step's `channel`: publishing is not refused (a shop may mean it). */
export function checkEmailBeforeSms(nodes: readonly unknown[]): PathProblem[] {
  return smsBeforeEmail(nodes).map((f): PathProblem => {
    const when = f.gapMs ? `at most ${formatDuration(f.gapMs)}` : 'right';
    const message =
      f.kind === 'after'
        ? `this marketing SMS goes out before the email "${f.email}" that follows it on the same path, so a customer gets the SMS first: email goes 2–3 days before the matching SMS wave, to stagger channels; send "${f.email}" first and this SMS 2–3 days after it`
        : `this marketing SMS goes out ${when} after the email "${f.email}" on the same path, less than 2 days: email goes 2–3 days before the matching SMS wave, to stagger channels; wait 2–3 days between "${f.email}" and this SMS`;
    return { path: ['nodes', f.index, 'channel'], nodeId: f.nodeId, severity: 'warning', message };
  });
}
