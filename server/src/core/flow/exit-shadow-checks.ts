import type { PathProblem } from './problems.js';

/**
 * A `waitForEvent` whose every event is also one of the flow's `exitOn` events can never take its
 * "responded" branch: the stepper applies exitOn before any node runs (engine/stepper.ts), so the
 * event that would answer the wait ends the journey first. The marketer then sees 已响应 · 0 and a
 * goal exit behind it that nobody reaches, although customers did answer (they are counted by
 * exitOn, as a conversion when its `goal` is true). Works on the raw value, like the graph checks,
 * so it also runs when the schema fails.
 *
 * An exitOn rule shadows a waited-for event when every property it matches is matched the same way
 * by the wait (`match: {orderId: $key}` on both, or no match on the exitOn rule): then any event
 * that would answer the wait also ends the journey. A wait that matches less (another order's
 * payment answers it, exitOn only this order's) can still be answered, and is not reported.
 */
export function checkShadowedWaits(flow: unknown): PathProblem[] {
  const raw = asObject(flow);
  if (!raw) return [];
  const exits = (Array.isArray(raw.exitOn) ? raw.exitOn : []).map(asObject).filter((x): x is Raw => !!x && typeof x.event === 'string');
  if (!exits.length) return [];
  const out: PathProblem[] = [];
  (Array.isArray(raw.nodes) ? raw.nodes : []).forEach((n, i) => {
    const node = asObject(n);
    if (!node || node.type !== 'waitForEvent' || !Array.isArray(node.events) || !node.events.length) return;
    const events = node.events.filter((e): e is string => typeof e === 'string');
    if (events.length !== node.events.length) return;
    const waitMatch = asObject(node.match) ?? {};
    const shadowing = events.map((event) => exits.find((x) => x.event === event && covers(asObject(x.match) ?? {}, waitMatch)));
    if (shadowing.some((x) => !x)) return;
    const names = events.join(', ');
    const conversion = shadowing.every((x) => x!.goal !== false) ? ' and counts it as a conversion (goal)' : shadowing.some((x) => x!.goal !== false) ? ' (as a conversion for the exitOn events with goal)' : ' (not as a conversion: goal false)';
    out.push({
      path: ['nodes', i, 'events'],
      nodeId: typeof node.id === 'string' ? node.id : null,
      severity: 'warning',
      message: `waitForEvent can never take its "responded" branch: every event it waits for (${names}) is also in the flow's exitOn, which ends the journey first${conversion}, so "responded" and the steps after it stay at 0; either remove ${names} from exitOn so this step answers it (and lead "responded" to a goal exit), or make this step a plain wait`,
    });
  });
  return out;
}

type Raw = Record<string, unknown>;
const asObject = (v: unknown): Raw | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Raw) : undefined);

/** Does every event matching `wait` also match `exit`? (Each property exit requires, wait requires the same way.) */
function covers(exit: Raw, wait: Raw): boolean {
  return Object.entries(exit).every(([k, v]) => k in wait && String(wait[k]) === String(v));
}
