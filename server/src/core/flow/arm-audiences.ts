import { graphOf } from './graph-checks.js';

/**
 * Who reaches each A/B arm's first message, as conditions on the shop's customers: the entry's
 * segment and every condition or switch case on the one way from the entry to the split. The
 * publish preview counts them (api/designer/publish-preview.controller.ts) with and without the
 * arm channel's marketing consent, so publishing can say what the simulation and the experiment
 * report already say: an arm most of whose customers cannot get its message tests "not sending".
 * An arm is left out when who reaches it cannot be said as conditions: more than one way to the
 * split, a wait for a response on the way (who responds is not a fact), or an inline rule that
 * is not a plain object.
 */
export interface ArmAudience {
  splitId: string;
  armId: string;
  sendId: string;
  channel: string;
  /**
   * The send's 备用渠道, when it has one: customers without marketing consent on `channel` get the
   * message on it if they allow it (core/engine/executors/send.executor.ts), so they are not lost.
   */
  fallback: string | null;
  /** ANDed: `{ condition: segment }`, a condition's rule or its inline conditions, `{ not: … }` on a no. */
  conditions: unknown[];
}

type Raw = Record<string, unknown>;
const obj = (v: unknown): Raw | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Raw) : undefined);

/** A condition node's or a case's test as one condition node: `{ condition: rule }` or its inline conditions. */
function testOf(n: Raw): unknown | undefined {
  if (typeof n.rule === 'string' && n.rule) return { condition: n.rule };
  return obj(n.conditions);
}

/** What holds for customers who leave `from` by `handle` (undefined: nothing said; null: cannot be said). */
function branchConditions(from: Raw, handle: string): unknown[] | null {
  if (from.type === 'condition') {
    const test = testOf(from);
    if (test === undefined) return null;
    return [handle === 'yes' ? test : { not: test }];
  }
  if (from.type === 'switch') {
    const cases = (Array.isArray(from.cases) ? from.cases : []).map((c) => (obj(c) ? testOf(obj(c)!) : undefined));
    if (cases.some((c) => c === undefined)) return null;
    const i = handle === 'else' ? cases.length : Number(handle.slice('case-'.length));
    // The first case that matches wins: a later case's customers matched none before it.
    return [...cases.slice(0, i).map((c) => ({ not: c })), ...(i < cases.length ? [cases[i]] : [])];
  }
  if (from.type === 'waitForEvent') return null;
  return [];
}

export function armAudiences(nodes: readonly unknown[]): ArmAudience[] {
  const raw = nodes.map((n) => obj(n) ?? {});
  const graph = graphOf(nodes);
  const byId = new Map(raw.map((n) => [String(n.id), n]));
  const into = new Map<string, { from: string; handle: string }[]>();
  for (const g of graph) for (const e of g.edges) if (g.id && e.target) into.set(e.target, [...(into.get(e.target) ?? []), { from: g.id, handle: e.handle }]);
  /** The conditions on the one way from the entry to `id`; null when there is not exactly one way, or it cannot be said. */
  const wayTo = (id: string): unknown[] | null => {
    const out: unknown[] = [];
    const seen = new Set<string>();
    for (let at = id; ; ) {
      const node = byId.get(at);
      if (!node || seen.has(at)) return null;
      seen.add(at);
      if (node.type === 'entry') {
        const trigger = obj(node.trigger) ?? {};
        if (typeof trigger.segment === 'string' && trigger.segment) out.push({ condition: trigger.segment });
        return out;
      }
      const ins = into.get(at) ?? [];
      if (ins.length !== 1) return null;
      const said = branchConditions(byId.get(ins[0].from) ?? {}, ins[0].handle);
      if (said === null) return null;
      out.push(...said);
      at = ins[0].from;
    }
  };
  const out: ArmAudience[] = [];
  for (const split of raw.filter((n) => n.type === 'split' && Array.isArray(n.arms))) {
    const way = wayTo(String(split.id));
    if (way === null) continue;
    for (const arm of (split.arms as unknown[]).map(obj)) {
      if (!arm || arm.holdout === true || typeof arm.next !== 'string') continue;
      const send = byId.get(arm.next);
      // Only marketing needs consent (core/engine/executors/send.executor.ts); no category is marketing.
      if (!send || send.type !== 'send' || typeof send.channel !== 'string' || (send.category ?? 'marketing') !== 'marketing') continue;
      const fallback = typeof send.fallback === 'string' && send.fallback && send.fallback !== send.channel ? send.fallback : null;
      out.push({ splitId: String(split.id), armId: String(arm.id), sendId: arm.next, channel: send.channel, fallback, conditions: way });
    }
  }
  return out;
}
