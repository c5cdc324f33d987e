import { outputsOf, targetOf, withTarget } from './handles.js';
import type { DraftFlow, DraftNode, NodeType } from './types.js';

/**
 * What a node looks like when dropped from the palette: the settings a marketer most often
 * wants, valid except for the edges still to draw (the problem badges point at those).
 */
const DEFAULTS: Record<NodeType, Record<string, unknown>> = {
  // An order event keys its journeys by order number: never re-entering then means each order once
  // (a payment reminder per unpaid order), not each customer once in all (core/engine/entry-policy.ts).
  entry: { trigger: { type: 'event', event: 'order_created', key: 'orderId' }, reentry: { policy: 'never' } },
  condition: { conditions: { all: [{ fact: 'orderCount', operator: 'greaterThanInclusive', value: 1 }] } },
  switch: { cases: [{ label: '分支 1', conditions: { all: [{ fact: 'orderCount', operator: 'greaterThanInclusive', value: 2 }] } }] },
  split: { by: 'customer', arms: [{ id: 'a', label: '方案 A', weight: 45, holdout: false }, { id: 'b', label: '方案 B', weight: 45, holdout: false }, { id: 'holdout', label: '对照组', weight: 10, holdout: true }] },
  wait: { duration: '1d' },
  waitForEvent: { events: ['order_paid'], within: '1d' },
  send: { channel: 'sms', category: 'marketing', priority: 50, template: '{{customer.name}}，' },
  // No made-up tag: a placeholder such as `tag` could be published unnoticed (customers tagged "tag"); empty, the step is a
  // problem (请填写「标签」) until the marketer names the tag.
  action: { action: { kind: 'addTag', tag: '' } },
  limit: { max: 30000, mode: 'split' },
  exit: { goal: false },
};

/** Node id prefix per type (ids are lower-case: waitForEvent → wait-event). */
const PREFIX: Record<NodeType, string> = { entry: 'start', condition: 'check', switch: 'switch', split: 'split', wait: 'wait', waitForEvent: 'wait-event', send: 'send', action: 'action', limit: 'limit', exit: 'exit' };

export function freshId(flow: DraftFlow, type: NodeType): string {
  const taken = new Set(flow.nodes.map((n) => n.id));
  const prefix = PREFIX[type];
  if (type === 'entry' && !taken.has(prefix)) return prefix;
  for (let i = 1; ; i++) if (!taken.has(`${prefix}-${i}`)) return `${prefix}-${i}`;
}

export function newNode(flow: DraftFlow, type: NodeType): DraftNode {
  return { id: freshId(flow, type), type, ...structuredClone(DEFAULTS[type]) };
}

/**
 * Pasted copies: fresh ids, edges kept between copied nodes and dropped to the outside (a copy
 * must not silently take over another node's branch).
 */
export function copiesOf(flow: DraftFlow, nodes: readonly DraftNode[]): DraftNode[] {
  const rename = new Map<string, string>();
  let acc: DraftFlow = flow;
  for (const n of nodes) {
    if (n.type === 'entry') continue; // one entry per flow
    const id = freshId(acc, n.type);
    rename.set(n.id, id);
    acc = { ...acc, nodes: [...acc.nodes, { id, type: n.type }] };
  }
  return nodes
    .filter((n) => rename.has(n.id))
    .map((n) => {
      let copy: DraftNode = { ...structuredClone(n), id: rename.get(n.id)! };
      for (const h of outputsOf(copy)) {
        const t = targetOf(copy, h.id);
        copy = withTarget(copy, h.id, t && rename.has(t) ? rename.get(t) : undefined);
      }
      return copy;
    });
}
