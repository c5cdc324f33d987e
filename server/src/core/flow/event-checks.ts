import { SYSTEM_EVENTS } from '../data/system-events.js';
import { closestName } from '../text/closest-name.js';
import type { PathProblem, ValuePath } from './problems.js';

/** The event types a flow may name without a warning: the system's own, those the shop declares and those it sends. */
export interface EventCatalog {
  known(): readonly string[];
  /**
   * Why the shop's declarations (rules/shop.yaml `events:`) could not be read, e.g. a YAML syntax
   * error; null or absent when they were. Then an unknown name may be a declared one, and saying
   * "not declared" of it would be false.
   */
  readonly declarationsUnreadable?: string | null;
  /** The fields a declared event carries (rules/shop.yaml `fields:`), or null when it declares none: a trigger's key is checked against them (trigger-key-checks.ts). */
  fields?(event: string): readonly string[] | null;
}

/** Where a shop declares its own events; the warning about an unknown one says so. */
export const EVENT_DECLARATIONS_PLACE = 'rules/shop.yaml under events:';

/**
 * The system's events, the ones declared in rules/shop.yaml (`events:`, data/event-declarations.ts)
 * and the types seen in the shop's event log (none where there is no database, as in
 * `rekindle validate`: that is why a shop declares its own).
 */
export function eventCatalog(seen: Iterable<string> = [], declared: Iterable<string> = [], declarationsUnreadable: string | null = null, declaredFields: ReadonlyMap<string, readonly string[]> = new Map()): EventCatalog {
  const names = [...new Set([...SYSTEM_EVENTS, ...declared, ...seen])];
  return { known: () => names, declarationsUnreadable, fields: (event) => declaredFields.get(event) ?? null };
}

type Raw = Record<string, unknown>;
const asObject = (v: unknown): Raw | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Raw) : undefined);

/** Every event name a flow holds (entry trigger, waitForEvent, experiment responses, exitOn), with its place. */
function eventNames(flow: Raw): { path: ValuePath; nodeId: string | null; name: string }[] {
  const out: { path: ValuePath; nodeId: string | null; name: string }[] = [];
  const take = (v: unknown, path: ValuePath, nodeId: string | null) => {
    if (typeof v === 'string' && v !== '') out.push({ path, nodeId, name: v });
  };
  const nodes = Array.isArray(flow.nodes) ? flow.nodes : [];
  nodes.forEach((n, i) => {
    const node = asObject(n);
    if (!node) return;
    const id = typeof node.id === 'string' ? node.id : null;
    const trigger = asObject(node.trigger);
    if (node.type === 'entry' && trigger?.type === 'event') take(trigger.event, ['nodes', i, 'trigger', 'event'], id);
    if (node.type === 'waitForEvent' && Array.isArray(node.events)) node.events.forEach((e, j) => take(e, ['nodes', i, 'events', j], id));
    const responses = asObject(node.experiment)?.responses;
    if (Array.isArray(responses)) responses.forEach((r, j) => take(asObject(r)?.event, ['nodes', i, 'experiment', 'responses', j, 'event'], id));
  });
  if (Array.isArray(flow.exitOn)) flow.exitOn.forEach((x, j) => take(asObject(x)?.event, ['exitOn', j, 'event'], null));
  return out;
}

/**
 * Event names are free text, and a journey waiting for an event nobody sends never starts (entry),
 * never hears the answer (waitForEvent) or never ends early (exitOn). A name one slip away from a
 * known event (`order_creatd`, `Order_Paid`, or one slip from a declared `wechat_reply`) is an
 * error; any other unknown name (`下单`) is a warning only, since a shop may send its own events
 * through POST /api/events without declaring them; the warning says where to declare it.
 * While rules/shop.yaml's declarations cannot be read, the unknown names are one error instead
 * (the flow cannot be checked until shop.yaml is fixed): warning of each as "not declared" would
 * be false, and a misspelt declared event would pass as a mere warning.
 */
export function checkEvents(flow: unknown, catalog: EventCatalog): PathProblem[] {
  const raw = asObject(flow);
  if (!raw) return [];
  const known = catalog.known();
  const shown = known.slice(0, 12).join(', ');
  const out: PathProblem[] = [];
  const unchecked: { path: ValuePath; nodeId: string | null; name: string }[] = [];
  for (const { path, nodeId, name } of eventNames(raw)) {
    if (known.includes(name)) continue;
    const near = closestName(name, known);
    if (near) out.push({ path, nodeId, severity: 'error', message: `event "${name}" is not an event the shop records: did you mean "${near}"?` });
    else if (catalog.declarationsUnreadable) unchecked.push({ path, nodeId, name });
    else out.push({ path, nodeId, severity: 'warning', message: `event "${name}" is neither one the system records, nor declared in rules/shop.yaml, nor seen in the shop's event log (known: ${shown}): nothing would match it unless the shop sends it through POST /api/events; if it does, declare it in ${EVENT_DECLARATIONS_PLACE} (name: ${name} and a description)` });
  }
  if (unchecked.length) {
    const names = [...new Set(unchecked.map((u) => `"${u.name}"`))].join(', ');
    out.push({ path: unchecked[0].path, nodeId: unchecked[0].nodeId, severity: 'error', message: `the shop's own events cannot be checked (${names} here): rules/shop.yaml, where they are declared, could not be read (${catalog.declarationsUnreadable}); fix rules/shop.yaml first` });
  }
  return out;
}
