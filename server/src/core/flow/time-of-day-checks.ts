import { parseDuration, DURATION_PATTERN } from './duration.js';
import { graphOf, type GraphNode } from './graph-checks.js';
import type { PathProblem, ValuePath } from './problems.js';
import { formatShopTime } from '../engine/local-time.js';
import type { QuietHours } from '../policy/schema.js';

/**
 * The times of day a flow sets (a daily schedule's `at`, a wait's `untilTime`, and the clock time
 * of an audience `startAt` or a wait's `untilDate`) against what the engine then does with them.
 * The schema only checks that each is a well-formed HH:MM; these are times that cannot do what
 * they say:
 * - a send reached at that time inside its channel's quiet hours (rules/policy.yaml) waits until
 *   they end: a warning, or an error when its expiresAfter runs out first, so it is always skipped
 *   (review.ts: quiet hours defer, and a deferral past expiresAt skips);
 * - a wait until HH:MM reached at that very HH:MM waits a whole day (untilTime is the next HH:MM
 *   strictly after arrival: engine/local-time.ts nextLocalTime);
 * - an hourly schedule whose `at` names an hour: only its minute counts (engine/schedule.ts).
 * Only what is certain is said: a time is followed through steps that take none (conditions,
 * splits, actions, limits that do not spread, sends that go out at once) and stops at any wait.
 */

type Raw = Record<string, unknown>;
const asObject = (v: unknown): Raw | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Raw) : undefined);
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const hhmmOf = (m: number) => `${String(Math.floor(m / 60) % 24).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
const DAY = 24 * 60;

/** A point where customers are known to be at one time of day: what sets it, and where. */
interface Timed {
  node: GraphNode;
  minute: number;
  path: ValuePath;
  /** "the daily schedule at 09:00", "untilTime 22:30", in the message. */
  what: string;
}

/** Minutes from `at` until the quiet hours end, when `at` is inside them (null when outside). */
function quietMinutesLeft(at: number, q: QuietHours): number | null {
  const from = minutesOf(q.from);
  const to = minutesOf(q.to);
  if (from === to) return null;
  const inside = from < to ? at >= from && at < to : at >= from || at < to;
  return inside ? (to - at + DAY) % DAY || DAY : null;
}

const hours = (min: number) => (min % 60 === 0 ? `${min / 60} h` : `${Math.floor(min / 60)} h ${min % 60} min`);

export function checkTimesOfDay(flow: unknown, quietHours: Partial<Record<string, QuietHours>>, timeZone: string): PathProblem[] {
  const raw = asObject(flow);
  if (!raw || !Array.isArray(raw.nodes)) return [];
  const nodes = raw.nodes;
  const graph = graphOf(nodes);
  const byId = new Map(graph.filter((g) => g.id !== null).map((g) => [g.id as string, g]));
  const out: PathProblem[] = [];
  const clockOf = (iso: unknown): number | null => {
    if (typeof iso !== 'string' || !/(Z|[+-]\d{2}:\d{2})$/.test(iso) || Number.isNaN(Date.parse(iso))) return null;
    return minutesOf(formatShopTime(Date.parse(iso), timeZone).slice(11, 16));
  };

  const origins: Timed[] = [];
  for (const g of graph) {
    const node = asObject(nodes[g.index]) ?? {};
    if (g.type === 'entry') {
      const t = asObject(node.trigger);
      if (t?.type === 'schedule') {
        const at = typeof t.at === 'string' && HHMM.test(t.at) ? t.at : t.at === undefined ? '09:00' : null;
        if (at === null) continue; // malformed: the schema says so
        if (t.every === 'hour') {
          if (typeof t.at === 'string' && t.at.slice(0, 2) !== '00')
            out.push({ path: ['nodes', g.index, 'trigger', 'at'], nodeId: g.id, severity: 'warning', message: `at ${at} with every: hour: only the minute counts, so the schedule runs every hour at :${at.slice(3)}, not at ${at}; write at: "00:${at.slice(3)}", or every: day to run once a day at ${at}` });
          continue; // an hourly schedule enters at every hour: no one time of day
        }
        origins.push({ node: g, minute: minutesOf(at), path: ['nodes', g.index, 'trigger', 'at'], what: `the daily schedule at ${at}` });
      } else if (t?.type === 'audience') {
        const m = clockOf(t.startAt);
        if (m !== null) origins.push({ node: g, minute: m, path: ['nodes', g.index, 'trigger', 'startAt'], what: `startAt (${hhmmOf(m)})` });
      }
    } else if (g.type === 'wait') {
      if (typeof node.untilTime === 'string' && HHMM.test(node.untilTime)) origins.push({ node: g, minute: minutesOf(node.untilTime), path: ['nodes', g.index, 'untilTime'], what: `untilTime ${node.untilTime}` });
      else {
        const m = clockOf(node.untilDate);
        if (m !== null) origins.push({ node: g, minute: m, path: ['nodes', g.index, 'untilDate'], what: `untilDate (${hhmmOf(m)})` });
      }
    }
  }

  for (const o of origins) {
    // Each step customers reach from `o` without time passing, once.
    const seen = new Set<number>([o.node.index]);
    const queue = o.node.edges.map((e) => e.target);
    while (queue.length) {
      const id = queue.shift();
      const next = id === null || id === undefined ? undefined : byId.get(id);
      if (!next || seen.has(next.index)) continue;
      seen.add(next.index);
      const node = asObject(nodes[next.index]) ?? {};
      if (next.type === 'wait') {
        if (node.untilTime === hhmmOf(o.minute) && typeof node.untilTime === 'string')
          out.push({ path: ['nodes', next.index, 'untilTime'], nodeId: next.id, severity: 'warning', message: `untilTime ${node.untilTime} is reached at ${node.untilTime} itself (${o.what} of ${o.node.id ?? 'an earlier step'}): the wait is for the next ${node.untilTime}, a whole day; drop the wait, or wait until another time` });
        continue;
      }
      if (next.type === 'waitForEvent' || next.type === 'exit' || (next.type === 'limit' && node.mode === 'spread')) continue;
      if (next.type === 'send') {
        const channel = typeof node.channel === 'string' ? node.channel : '';
        const q = quietHours[channel];
        const category = typeof node.category === 'string' ? node.category : 'marketing';
        const left = q && node.urgent !== true && q.categories.includes(category as QuietHours['categories'][number]) ? quietMinutesLeft(o.minute, q) : null;
        if (left !== null && q) {
          const expires = typeof node.expiresAfter === 'string' && DURATION_PATTERN.test(node.expiresAfter) ? parseDuration(node.expiresAfter) / 60_000 : null;
          const where = `${next.id ?? 'a send'} (${channel}) is reached at ${hhmmOf(o.minute)} by ${o.what} of ${o.node.id ?? 'an earlier step'}, inside the ${channel} quiet hours ${q.from}–${q.to} (rules/policy.yaml)`;
          if (expires !== null && expires < left)
            out.push({ path: o.path, nodeId: o.node.id, severity: 'error', cause: 'quiet-hours', message: `${where}: it is held until ${q.to}, ${hours(left)} later, but expires after ${node.expiresAfter}, so it is always skipped; move the time out of the quiet hours, lengthen expiresAfter beyond ${hours(left)}, or mark the send urgent: true` });
          else
            out.push({ path: o.path, nodeId: o.node.id, severity: 'warning', cause: 'quiet-hours', message: `${where}: every message waits until ${q.to}, ${hours(left)} later; move the time out of the quiet hours, or mark the send urgent: true if it must go at night` });
          continue; // held: the steps after it come later
        }
      }
      for (const e of next.edges) queue.push(e.target);
    }
  }
  return out;
}
