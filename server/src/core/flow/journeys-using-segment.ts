import type { RuleSet } from '../rules/rule-set.js';
import type { Flow } from './schema.js';

/** How a journey uses a segment: who enters (its entry audience) or which way customers go (a condition or switch step). */
export type SegmentUse = 'entry' | 'branch';

export interface JourneyUsingSegment {
  flowId: string;
  /** The journey's name in words (the flow's `name`). */
  name: string;
  status: 'active' | 'paused';
  uses: SegmentUse[];
}

type Raw = Record<string, unknown>;
const asObject = (v: unknown): Raw | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Raw) : undefined);

/** Every `{condition: name}` of an inline conditions block (json-rules-engine's reference to a named rule). */
function inlineReferences(c: unknown, out: string[]): string[] {
  if (Array.isArray(c)) for (const x of c) inlineReferences(x, out);
  const o = asObject(c);
  if (!o) return out;
  if (typeof o.condition === 'string') out.push(o.condition);
  for (const k of ['all', 'any', 'not']) if (o[k] !== undefined) inlineReferences(o[k], out);
  return out;
}

/** The segment names a flow names directly, by how it uses them. */
function namedBy(flow: Flow): { entry: string[]; branch: string[] } {
  const entry: string[] = [];
  const branch: string[] = [];
  for (const n of flow.nodes as unknown[]) {
    const node = asObject(n);
    if (!node) continue;
    const trigger = asObject(node.trigger);
    if (node.type === 'entry' && typeof trigger?.segment === 'string') entry.push(trigger.segment);
    if (typeof node.rule === 'string') branch.push(node.rule);
    inlineReferences(node.conditions, branch);
    if (Array.isArray(node.cases)) {
      for (const c of node.cases) {
        const kase = asObject(c);
        if (typeof kase?.rule === 'string') branch.push(kase.rule);
        inlineReferences(kase?.conditions, branch);
      }
    }
  }
  return { entry, branch };
}

/**
 * The journeys running (or paused, to run again on resume) whose current version uses `segment`:
 * as the entry audience or in a condition/switch step, directly or through segments that use it
 * (`rules`' references, followed to any depth). The engine reads segment files as they are on
 * disk at each run (runtime/segment-rules-on-disk.ts), so changing one changes these journeys'
 * behaviour from their next run, without a publish: the edit route names them and the designer
 * asks before saving. A stopped journey runs no more and is left out.
 */
export function journeysUsingSegment(published: readonly { flowId: string; status: string; version: { flow: Flow } }[], rules: RuleSet, segment: string): JourneyUsingSegment[] {
  const reaches = new Map<string, boolean>();
  const reach = (name: string, trail: Set<string>): boolean => {
    if (name === segment) return true;
    const known = reaches.get(name);
    if (known !== undefined) return known;
    if (trail.has(name)) return false; // a cycle is the rule loader's to report
    trail.add(name);
    const yes = (rules.get(name)?.references ?? []).some((r) => reach(r.name, trail));
    trail.delete(name);
    reaches.set(name, yes);
    return yes;
  };
  const out: JourneyUsingSegment[] = [];
  for (const p of published) {
    if (p.status !== 'active' && p.status !== 'paused') continue;
    const { entry, branch } = namedBy(p.version.flow);
    const uses: SegmentUse[] = [];
    if (entry.some((n) => reach(n, new Set()))) uses.push('entry');
    if (branch.some((n) => reach(n, new Set()))) uses.push('branch');
    if (uses.length) out.push({ flowId: p.flowId, name: p.version.flow.name ?? p.flowId, status: p.status, uses });
  }
  return out;
}
