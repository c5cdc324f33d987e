import { graphOf } from '../flow/graph-checks.js';
import type { PathProblem } from '../flow/problems.js';
import type { FlowNode } from '../flow/schema.js';
import { templatePaths } from '../engine/template.js';

/** The coupon fields a message may name. */
export const COUPON_FIELDS = ['code', 'amount', 'expires', 'minSpend', 'threshold'] as const;

/** What flow validation needs to know about rules/coupons.yaml. */
export interface CouponCatalog {
  has(id: string): boolean;
  ids(): readonly string[];
}

type Raw = Record<string, unknown>;
const asObject = (v: unknown): Raw | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Raw) : undefined);

/**
 * A coupon amount written into the text ("您的20元券", "满199减20", "20元优惠券") instead of
 * `{{coupon.amount}}`: it promises a coupon whether or not the customer holds one, and goes
 * stale when the template changes.
 */
const LITERAL_COUPON = /(\d+(?:\.\d+)?\s*元(?:优惠)?(?:券|红包))|(满\s*\d+\s*减\s*\d+)|(\d+\s*(?:CNY|yuan|RMB)\s+coupon)/i;

const issues = (node: Raw): boolean => node.type === 'send' && node.coupon !== undefined && node.coupon !== null;

/**
 * Coupon problems of a flow (raw or parsed nodes):
 * - `coupon: <id>` must name a template of rules/coupons.yaml;
 * - `{{coupon}}` must say which field (`{{coupon.code}}`, `{{coupon.amount}}`…): the code printed
 *   where the amount belongs ("送你3NVDBTR1GI元券") came from a bare placeholder;
 * - a message that names a coupon must hold one: it issues a coupon itself, or every path from
 *   the entry to it passes a send that issues one (at run time a customer whose coupon never went
 *   out is held back with reason `no-coupon`);
 * - an amount written as text ("您的20元券") is refused: use `{{coupon.amount}}`.
 */
export function checkCoupons(nodes: readonly (FlowNode | unknown)[], catalog: CouponCatalog | null): PathProblem[] {
  const out: PathProblem[] = [];
  const graph = graphOf(nodes);
  const byId = new Map(graph.filter((g) => g.id).map((g) => [g.id!, g]));
  const raw = nodes.map((n) => asObject(n) ?? {});

  // Nodes reachable from the entry without passing a coupon-issuing send (through its `next`).
  const entry = graph.find((g) => g.type === 'entry');
  const bare = new Set<number>();
  const stack = entry ? [entry.index] : [];
  while (stack.length) {
    const i = stack.pop()!;
    if (bare.has(i)) continue;
    bare.add(i);
    for (const e of graph[i].edges) {
      if (!e.target) continue;
      if (issues(raw[i]) && e.handle === 'next') continue;
      const t = byId.get(e.target);
      if (t) stack.push(t.index);
    }
  }

  raw.forEach((node, i) => {
    if (node.type !== 'send') return;
    const id = typeof node.id === 'string' ? node.id : null;
    const at = (...p: (string | number)[]) => ['nodes', i, ...p];
    const add = (path: (string | number)[], message: string) => out.push({ path, nodeId: id, message, severity: 'error' });
    if (typeof node.coupon === 'string' && catalog && !catalog.has(node.coupon)) {
      add(at('coupon'), `coupon template "${node.coupon}" is not in rules/coupons.yaml (templates: ${catalog.ids().join(', ') || 'none'})`);
    }
    let mentions = false;
    for (const field of ['template', 'subject'] as const) {
      const text = node[field];
      if (typeof text !== 'string') continue;
      for (const p of templatePaths(text)) {
        if (p === 'coupon') {
          mentions = true;
          add(at(field), '{{coupon}} does not say what to print: use {{coupon.code}}, {{coupon.amount}} or {{coupon.expires}}');
        } else if (p.startsWith('coupon.')) {
          mentions = true;
          const f = p.slice('coupon.'.length);
          if (!(COUPON_FIELDS as readonly string[]).includes(f)) add(at(field), `{{${p}}}: a coupon has ${COUPON_FIELDS.map((x) => `coupon.${x}`).join(', ')}`);
        }
      }
      const literal = text.replace(/\{\{[^}]*\}\}/g, '').match(LITERAL_COUPON);
      if (literal) add(at(field), `names a coupon amount as text ("${literal[0]}"): use {{coupon.amount}} (and issue the coupon), so every message matches a coupon the customer holds`);
    }
    if (mentions && !issues(node) && bare.has(i)) {
      add(at('template'), 'mentions a coupon the customer may not hold: issue one here (coupon: <template>) or reach this node only after a send that issues one');
    }
  });
  return out;
}
