import { formatDuration, parseDuration } from '../flow/duration.js';
import type { PathProblem } from '../flow/problems.js';
import { edgesOf, type Flow, type FlowNode } from '../flow/schema.js';
import type { Cap } from './schema.js';

const DAY = 86_400_000;
/** The longest a calendar period lasts: two sends closer than this can fall in one. */
const LONGEST: Record<'day' | 'week' | 'month', number> = { day: DAY, week: 7 * DAY, month: 31 * DAY };
/** Paths followed at most: a flow of many switches and splits has more; past this the check is silent. */
const MAX_PATHS = 20_000;

/** A send a cap counts, where it is on one path: the time since entry, at least and at most. */
interface Touch {
  node: FlowNode;
  index: number;
  lo: number;
  /** The finite part of the most, and how many waits of unknown length (a date) came before. */
  hi: number;
  unknown: number;
}

/**
 * Sends that a cap holds back on a path of the journey itself, found before publishing: a
 * sleeping-customer journey sent three marketing SMS within 17 days against the shop's 2 a month,
 * and only its simulation said so (228 messages 未发出：触达上限已满); the problems list and the
 * publish dialog said nothing. For each cap that binds the journey (the shop's and its own): on a
 * path, the first send past the cap's `max` of the sends it counts
 * - within its `window` for sure (the waits between them add up to less): held back for everyone;
 * - closer than its calendar `period` can last (at least): held back when the sends fall in one;
 * - with `campaign: true`, anywhere on the path (the journey alone is past the campaign's max).
 * Waits are taken as they can last: a duration exactly, an answer awaited from 0 (responded) to its
 * `within`, a time of day within a day, a date not known. Paths through a loop are followed once.
 * Other journeys' sends count towards a cap too: what is said here is the journey's own share. Pure.
 */
export function checkPathCaps(flow: Flow, caps: readonly Cap[]): PathProblem[] {
  const binding = caps.filter((c) => !c.campaign || flow.campaign !== undefined);
  if (!binding.length) return [];
  const byId = new Map(flow.nodes.map((n, i) => [n.id, { node: n, index: i }]));
  const entry = flow.nodes.find((n) => n.type === 'entry');
  if (!entry) return [];
  const found = new Map<string, PathProblem>();
  let paths = 0;

  const judge = (touches: Touch[], cap: Cap) => {
    for (let j = cap.max; j < touches.length; j++) {
      const first = touches[j - cap.max];
      const t = touches[j];
      const key = `${cap.id}/${t.node.id}`;
      if (found.has(key)) continue;
      const before = touches.slice(j - cap.max, j).map((x) => x.node.id);
      const atLeast = t.lo - first.lo;
      const atMost = t.unknown > first.unknown ? Infinity : t.hi - first.hi;
      const said = cap.description ? ` (${cap.description})` : '';
      let message: string | null = null;
      if (cap.campaign) {
        message = `the campaign cap "${cap.id}"${said} allows ${cap.max} touches, and on a path through this send it is the ${ordinal(j + 1)} (after ${before.join(', ')}): it is held back for every customer on that path; take a touch out of the path or raise the cap`;
      } else if (cap.window && atMost < parseDuration(cap.window)) {
        message = `the cap "${cap.id}"${said} allows ${cap.max} in ${cap.window}, and on a path this send comes at most ${formatDuration(atMost)} after ${before.join(', ')}: it is held back for every customer who got those; space the sends at least ${cap.window} apart, send one by another channel or kind, or raise the cap`;
      } else if (cap.period && atLeast < LONGEST[cap.period]) {
        message = `the cap "${cap.id}"${said} allows ${cap.max} a calendar ${cap.period}, and on a path this send can come ${atLeast > 0 ? `${formatDuration(atLeast)}` : 'right'} after ${before.join(', ')}: when they fall in one ${cap.period} it is held back; space the sends more than a ${cap.period} apart, send one by another channel or kind, or raise the cap`;
      }
      if (message) found.set(key, { path: ['nodes', t.index, 'channel'], nodeId: t.node.id, severity: 'warning', message });
    }
  };

  const walk = (node: FlowNode, onPath: Set<string>, lo: number, hi: number, unknown: number, touches: Touch[]) => {
    if (paths >= MAX_PATHS) return;
    const here = byId.get(node.id)!;
    const mine = node.type === 'send' ? [...touches, { node, index: here.index, lo, hi, unknown }] : touches;
    const edges = edgesOf(node).filter(([, to]) => byId.has(to) && !onPath.has(to));
    if (!edges.length) {
      paths++;
      for (const cap of binding) judge(mine.filter((t) => counts(cap, t.node)), cap);
      return;
    }
    for (const [edge, to] of edges) {
      const [addLo, addHi, addUnknown] = lasts(node, edge);
      onPath.add(to);
      walk(byId.get(to)!.node, onPath, lo + addLo, hi + addHi, unknown + addUnknown, mine);
      onPath.delete(to);
    }
  };
  walk(entry, new Set([entry.id]), 0, 0, 0, []);
  return [...found.values()];
}

/** Whether a cap counts this step's message: its channel and its kind (the fallback channel is not judged). */
function counts(cap: Cap, n: FlowNode): boolean {
  return n.type === 'send' && (!cap.channels || cap.channels.includes(n.channel)) && cap.categories.includes(n.category);
}

/** How long leaving a step by an edge takes at least and at most (finite part), and whether the most is not known. */
function lasts(node: FlowNode, edge: string): [number, number, number] {
  if (node.type === 'wait') {
    if (node.duration) return [parseDuration(node.duration), parseDuration(node.duration), 0];
    if (node.untilTime) return [0, DAY, 0];
    return [0, 0, 1];
  }
  if (node.type === 'waitForEvent') {
    const within = parseDuration(node.within);
    return edge === 'timedOut' ? [within, within, 0] : [0, within, 0];
  }
  return [0, 0, 0];
}

const ordinal = (n: number) => `${n}${n % 10 === 1 && n % 100 !== 11 ? 'st' : n % 10 === 2 && n % 100 !== 12 ? 'nd' : n % 10 === 3 && n % 100 !== 13 ? 'rd' : 'th'}`;
