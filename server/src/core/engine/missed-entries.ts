import { parseDuration } from '../flow/duration.js';
import type { Flow } from '../flow/schema.js';
import { mayEnter, type PastEntry } from './entry-policy.js';
import { eventMatches } from './event-match.js';
import { journeyKeyOf, missingKeyWords, triggerJourneyKey } from './trigger-journey-key.js';

/**
 * "Why did this customer get no payment reminder?": the customer's events that an event-triggered
 * flow's trigger names but that started no journey, each with the reason, rebuilt from what is
 * stored. The engine does not log a refusal per customer (only counts), so the reasons are read
 * back from the flow's status history (the audit log: published, paused, resumed, stopped — who
 * and when), its versions, the event's own times and the customer's other journeys, in the order
 * the engine checks them (journey-engine.ts planEvents / planEnrollment), as they stood when the
 * engine acted on the event (its intake batch, `actedOnAt`), which can be well after it arrived
 * (a backlog, an import stored by another process): the flow's status, version, the trigger's
 * maxAge and the re-entry policy all apply at that moment, not at the arrival.
 */

export type FlowStatus = 'active' | 'paused' | 'stopped';

/** One change of a flow's status, as recorded (actor null when nobody is on record). */
export interface FlowStatusChange {
  at: number;
  status: FlowStatus;
  actor: string | null;
}

export interface PublishedVersion {
  flowId: string;
  version: number;
  publishedAt: number;
  flow: Flow;
}

export interface CustomerEventSeen {
  id: number;
  type: string;
  properties: Record<string, unknown>;
  occurredAt: number;
  /** When it was stored: the engine acts on an event as it arrives (the event inbox). */
  receivedAt: number;
  /** Still in the engine's inbox: not acted on yet. */
  pending: boolean;
  /** When the engine's intake acted on it (consumed_events); null when not on record (consumed before it was kept, or by `simulate`). */
  actedOnAt?: number | null;
}

export interface CustomerEnrollment {
  flowId: string;
  journeyKey: string;
  enteredAt: number;
  /** Status now, and when it last changed (a finished journey's end). */
  status: string;
  updatedAt: number;
  entryKey: string;
}

export type MissedReason =
  | { kind: 'pending' }
  | { kind: 'not-published'; firstPublishedAt: number }
  | { kind: 'paused' | 'stopped'; since: number; by: string | null; until: number | null; untilBy: string | null; untilStatus: FlowStatus | null }
  | { kind: 'event-too-old'; maxAge: string }
  | { kind: 'key-missing'; key: string; got: string }
  | { kind: 'already-in-journey'; enteredAt: number }
  | { kind: 'reentry-never'; enteredAt: number }
  | { kind: 'reentry-after'; days: number; enteredAt: number }
  | { kind: 'segment-or-limit'; segment: string | null; limited: boolean };

export interface MissedEntry {
  flowId: string;
  /** The flow version the event met (the one published when the engine acted on it; the first one if none was). */
  version: number;
  eventId: number;
  event: string;
  journeyKey: string | null;
  occurredAt: number;
  receivedAt: number;
  /** When the engine acted on it (null: not on record; it is then judged as of its arrival). */
  actedOnAt: number | null;
  reason: MissedReason;
}

export interface MissedEntriesInput {
  versions: readonly PublishedVersion[];
  /** Per flow, its status changes in time order. */
  history: ReadonlyMap<string, readonly FlowStatusChange[]>;
  events: readonly CustomerEventSeen[];
  enrollments: readonly CustomerEnrollment[];
}

/** The flow's status at `at`, and the change that made it so (null before any change on record). */
function statusAt(changes: readonly FlowStatusChange[], at: number): { change: FlowStatusChange; next: FlowStatusChange | null } | null {
  let i = -1;
  while (i + 1 < changes.length && changes[i + 1].at <= at) i++;
  if (i < 0) return null;
  // The period lasts until the status really changes (a publish while paused keeps it paused).
  let j = i + 1;
  while (j < changes.length && changes[j].status === changes[i].status) j++;
  let k = i;
  while (k > 0 && changes[k - 1].status === changes[i].status) k--;
  return { change: changes[k], next: changes[j] ?? null };
}

const triggerOf = (flow: Flow) => {
  const entry = flow.nodes.find((n) => n.type === 'entry');
  return entry && entry.type === 'entry' && entry.trigger.type === 'event' ? { entry, trigger: entry.trigger } : null;
};

/** Event-triggered flows' matching events that have no journey, newest first. */
export function missedEntries(input: MissedEntriesInput): MissedEntry[] {
  const byFlow = new Map<string, PublishedVersion[]>();
  for (const v of input.versions) byFlow.set(v.flowId, [...(byFlow.get(v.flowId) ?? []), v]);
  const entered = new Set(input.enrollments.map((e) => `${e.flowId}\u0000${e.entryKey}`));
  const out: MissedEntry[] = [];
  for (const [flowId, versions] of byFlow) {
    versions.sort((a, b) => a.publishedAt - b.publishedAt || a.version - b.version);
    const changes = input.history.get(flowId) ?? [];
    for (const e of input.events) {
      if (entered.has(`${flowId}\u0000event-${e.id}`)) continue;
      // The engine decided when its intake acted on the event; without that on record, as of its arrival.
      const decidedAt = e.actedOnAt ?? e.receivedAt;
      const current = versions.filter((v) => v.publishedAt <= decidedAt).at(-1);
      const version = current ?? versions[0];
      const t = triggerOf(version.flow);
      if (!t || e.type !== t.trigger.event || !eventMatches({ id: e.id, customerId: 0, type: e.type, properties: e.properties, occurredAt: e.occurredAt }, t.trigger.match, '')) continue;
      const journeyKey = journeyKeyOf(e.properties, t.trigger.key);
      const missed = (reason: MissedReason) => out.push({ flowId, version: version.version, eventId: e.id, event: e.type, journeyKey: journeyKey || null, occurredAt: e.occurredAt, receivedAt: e.receivedAt, actedOnAt: e.pending ? null : (e.actedOnAt ?? null), reason });
      if (e.pending) {
        missed({ kind: 'pending' });
        continue;
      }
      if (!current) {
        missed({ kind: 'not-published', firstPublishedAt: versions[0].publishedAt });
        continue;
      }
      const s = statusAt(changes, decidedAt);
      if (s && s.change.status !== 'active') {
        missed({ kind: s.change.status, since: s.change.at, by: s.change.actor, until: s.next?.at ?? null, untilBy: s.next?.actor ?? null, untilStatus: s.next?.status ?? null });
        continue;
      }
      if (t.trigger.maxAge && e.occurredAt < decidedAt - parseDuration(t.trigger.maxAge)) {
        missed({ kind: 'event-too-old', maxAge: t.trigger.maxAge });
        continue;
      }
      const keyed = triggerJourneyKey(e.properties, t.trigger.key);
      if (!keyed.ok) {
        missed({ kind: 'key-missing', key: t.trigger.key!, got: missingKeyWords(t.trigger.key!, keyed.got) });
        continue;
      }
      // The re-entry policy over the journeys this customer had in the flow when the engine acted
      // on the event (one still running then if it is running now or ended later).
      const history: (PastEntry & { enteredAt: number })[] = input.enrollments
        .filter((x) => x.flowId === flowId && x.enteredAt <= decidedAt)
        .map((x) => ({ journeyKey: x.journeyKey, enteredAt: x.enteredAt, active: x.status === 'active' || x.updatedAt > decidedAt }));
      const relevant = journeyKey === '' ? history : history.filter((h) => h.journeyKey === journeyKey);
      const verdict = mayEnter(t.entry.reentry, relevant, journeyKey, decidedAt);
      if (!verdict.ok) {
        const last = Math.max(...relevant.filter((h) => verdict.reason !== 'already-in-journey' || h.active).map((h) => h.enteredAt));
        if (verdict.reason === 'already-in-journey') missed({ kind: 'already-in-journey', enteredAt: last });
        else if (verdict.reason === 'reentry-never') missed({ kind: 'reentry-never', enteredAt: last });
        else missed({ kind: 'reentry-after', days: t.entry.reentry.days ?? 0, enteredAt: last });
        continue;
      }
      // What is left is checked against facts and group sizes of that moment, which are not kept.
      missed({ kind: 'segment-or-limit', segment: t.trigger.segment ?? null, limited: !!t.entry.limit });
    }
  }
  return out.sort((a, b) => b.receivedAt - a.receivedAt || b.eventId - a.eventId);
}

/**
 * The reason in words; `at` writes an instant (the shop's wall clock for people). When the engine
 * acted on the event later than it arrived (as written), the words say both times and judge by the later.
 */
export function describeMissedEntry(m: MissedEntry, at: (ms: number) => string): string {
  const late = m.actedOnAt !== null && at(m.actedOnAt) !== at(m.receivedAt);
  const what = `${m.event}${m.journeyKey ? ` ${m.journeyKey}` : ''} (arrived ${at(m.receivedAt)}${late ? `, acted on by the engine ${at(m.actedOnAt!)}` : ''})`;
  const when = late ? 'when the engine acted on it' : 'when it arrived';
  const r = m.reason;
  const no = `no ${m.flowId} journey started for ${what}`;
  switch (r.kind) {
    case 'pending':
      return `${m.flowId}: ${what} is not acted on yet (it waits in the engine's inbox)`;
    case 'not-published':
      return `${no}: the flow was not published yet${late ? ` ${when}` : ''} (first published ${at(r.firstPublishedAt)})`;
    case 'paused':
    case 'stopped': {
      const by = r.by ? ` by ${r.by}` : '';
      const until = r.until === null ? `, still ${r.kind} now` : ` until ${at(r.until)}${r.untilBy ? ` (${r.untilStatus === 'active' ? 'resumed' : r.untilStatus} by ${r.untilBy})` : ''}`;
      return `${no}: the flow was ${r.kind} ${when} (${r.kind}${by} at ${at(r.since)}${until}); a ${r.kind} flow lets nobody in and does not catch up later`;
    }
    case 'event-too-old':
      return `${no}: the event happened ${at(m.occurredAt)}, older than the trigger's maxAge ${r.maxAge} ${when} (e.g. imported history)`;
    case 'key-missing':
      return `${no}: the journey is keyed by ${r.key} and the event has ${r.got}; send ${r.key} in its properties (a journey without it could not be ended by its own exit events)`;
    case 'already-in-journey':
      return `${no}: the customer was already in a journey of this flow${m.journeyKey ? ` for ${m.journeyKey}` : ''} (entered ${at(r.enteredAt)})`;
    case 'reentry-never':
      return `${no}: re-entry policy "never" and the customer entered before (${at(r.enteredAt)})`;
    case 'reentry-after':
      return `${no}: re-entry only after ${r.days} days and the customer last entered ${at(r.enteredAt)}`;
    case 'segment-or-limit': {
      const causes = [r.segment ? `the trigger's segment filter "${r.segment}" did not admit the customer then` : null, r.limited ? "the entry's group-size limit was full" : null].filter(Boolean);
      return causes.length
        ? `${no}: ${causes.join(', or ')} (checked ${late ? when : 'when the event arrived'}; not logged per customer)`
        : `${no}: no reason on record (the flow was active, the event fresh and the re-entry policy allowed it)`;
    }
  }
}
