import { formatShopTime, shopIsoTime } from '../engine/local-time.js';
import { graphOf } from './graph-checks.js';
import type { PathProblem, ValuePath } from './problems.js';

/**
 * When the flow is checked and in which zone its dates are shown: `now` comes from the caller's
 * injected clock (the server's, or the CLI's), never from Date.now() here, so tests pin it.
 */
export interface FlowDates {
  now: number;
  timeZone: string;
}

type Raw = Record<string, unknown>;
const asObject = (v: unknown): Raw | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Raw) : undefined);
/** A date the schema would accept (it reports the others itself); NaN otherwise. */
const instantOf = (v: unknown): number => (typeof v === 'string' && /(Z|[+-]\d{2}:\d{2})$/.test(v) ? Date.parse(v) : NaN);

/**
 * Dates a flow carries are absolute, so a copy of last season's campaign (or the 双十一 template
 * after 11 Nov) still holds dates that have gone by. The engine takes a past date literally: an
 * audience entry whose startAt is past enters everyone at the first tick after publishing, and a
 * wait whose untilDate is past lets everyone through at once, so a month of staggered sends goes
 * out in one morning. These are warnings, not errors: a flow already live whose start passed while
 * it ran must still republish (its audience entered once and never enters again). A wait dated
 * before the audience start it follows can never wait at all, whatever today is: that is an error.
 * Not checked, because they cannot be past: an untilTime wait (the next HH:MM after the customer
 * arrives) and a schedule trigger (every day or hour, with no start or end date to go by).
 */
export function checkDates(flow: unknown, dates: FlowDates): PathProblem[] {
  const raw = asObject(flow);
  if (!raw || !Array.isArray(raw.nodes)) return [];
  const nodes = raw.nodes;
  const show = (ms: number) => formatShopTime(ms, dates.timeZone);
  // The date a warning is about, for programs (warning groups, --json): never read back from the words.
  const date = (ms: number) => shopIsoTime(ms, dates.timeZone);
  const now = show(dates.now);
  const out: PathProblem[] = [];
  const graph = graphOf(nodes);
  const byId = new Map(graph.filter((g) => g.id !== null).map((g) => [g.id as string, g]));
  // The audience start each wait follows (the latest one when several entries reach it).
  const startBefore = new Map<number, number>();
  graph.forEach((g) => {
    const node = asObject(nodes[g.index]);
    const trigger = asObject(node?.trigger);
    if (g.type !== 'entry' || trigger?.type !== 'audience') return;
    const start = instantOf(trigger.startAt);
    if (Number.isNaN(start)) return;
    const path: ValuePath = ['nodes', g.index, 'trigger', 'startAt'];
    if (start < dates.now)
      out.push({ path, nodeId: g.id, severity: 'warning', cause: 'past-date', date: date(start), message: `startAt ${show(start)} is already past (now ${now}): customers would all enter at once on publishing, and every step after the entry runs now instead of on its date; move startAt to a future date (a flow already live whose audience has entered is not affected: it never enters again)` });
    const seen = new Set<number>([g.index]);
    const queue = [g];
    while (queue.length) {
      const cur = queue.shift()!;
      for (const e of cur.edges) {
        const next = e.target === null ? undefined : byId.get(e.target);
        if (!next || seen.has(next.index)) continue;
        seen.add(next.index);
        queue.push(next);
        if (next.type === 'wait') startBefore.set(next.index, Math.max(startBefore.get(next.index) ?? -Infinity, start));
      }
    }
  });
  graph.forEach((g) => {
    if (g.type !== 'wait') return;
    const until = instantOf(asObject(nodes[g.index])?.untilDate);
    if (Number.isNaN(until)) return;
    const path: ValuePath = ['nodes', g.index, 'untilDate'];
    const start = startBefore.get(g.index);
    if (start !== undefined && until < start)
      out.push({ path, nodeId: g.id, severity: 'error', message: `untilDate ${show(until)} is before the audience startAt ${show(start)} it follows: the wait passes at once for every customer who enters; move untilDate after startAt` });
    else if (until < dates.now)
      out.push({ path, nodeId: g.id, severity: 'warning', cause: 'past-date', date: date(until), message: `untilDate ${show(until)} is already past (now ${now}): the wait passes at once, so every customer who reaches it goes straight on to the next step; move untilDate to a future date or wait for a duration (customers already waiting when it passed have moved on)` });
  });
  return out;
}
