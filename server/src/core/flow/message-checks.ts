import { lookupVariable, MESSAGE_VARIABLES } from '../engine/message-vars.js';
import { templatePaths } from '../engine/template.js';
import { closestName } from '../text/closest-name.js';
import type { PathProblem } from './problems.js';

type Raw = Record<string, unknown>;
const asObject = (v: unknown): Raw | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Raw) : undefined);

/** The texts of a send that are rendered with placeholders (send.executor.ts renders both). */
const TEXT_FIELDS = ['template', 'subject'] as const;

/** `{{name}}` for `{{customer.name}}`: a field written without its root. */
function withRoot(name: string): string | null {
  for (const [root, shape] of Object.entries(MESSAGE_VARIABLES)) if (typeof shape === 'object' && Object.hasOwn(shape, name)) return `${root}.${name}`;
  return null;
}

/** The variable the writer most likely meant, or null. */
function meant(path: string, at: string, siblings: string[]): string | null {
  const wrong = path.slice(at ? at.length + 1 : 0).split('.')[0];
  const near = closestName(wrong, siblings);
  if (near) return at ? `${at}.${near}` : near;
  return at ? null : withRoot(wrong);
}

/**
 * What a message prints that customers would get wrong, on send nodes (raw or parsed):
 * - `{{link}}` without a link target: the SMS goes out as "回店看看  退订回T", the link left out;
 * - a placeholder that names no variable (`{{customer.nmae}}`, `{{facts.aov2}}`): the renderer
 *   prints unknown paths as empty text, so the customer reads "亲爱的，" — with a "did you mean";
 * - a placeholder naming a group (`{{customer}}`): it would print "[object Object]";
 * - `{{key}}` in a journey whose entry keys nothing (no trigger.key): the key is empty, so the
 *   customer reads "您的订单还没付款" without the order (a warning: the text still goes out).
 * `{{coupon…}}` placeholders are core/coupons/flow-checks.ts's (it also knows whether one is held).
 */
export function checkMessages(nodes: readonly unknown[]): PathProblem[] {
  const out: PathProblem[] = [];
  const entry = nodes.map(asObject).find((n) => n?.type === 'entry');
  const trigger = asObject(entry?.trigger);
  // No entry yet, or one without a trigger: its own problems say so first.
  const keysNothing = !!trigger && !(typeof trigger.key === 'string' && trigger.key.trim());
  nodes.forEach((n, i) => {
    const node = asObject(n);
    if (!node || node.type !== 'send') return;
    const id = typeof node.id === 'string' ? node.id : null;
    const hasLink = typeof node.link === 'string' && node.link.trim() !== '';
    for (const field of TEXT_FIELDS) {
      const text = node[field];
      if (typeof text !== 'string') continue;
      const add = (message: string) => out.push({ path: ['nodes', i, field], nodeId: id, message, severity: 'error' });
      for (const path of new Set(templatePaths(text))) {
        if (path === 'coupon' || path.startsWith('coupon.')) continue;
        if (path === 'link' && !hasLink) add('uses {{link}} but has no link target: customers would get the text without a link; fill in the link target (link) or take {{link}} out');
        if (path === 'key' && keysNothing) out.push({ path: ['nodes', i, field], nodeId: id, severity: 'warning', message: 'uses {{key}} but the entry keys no journey (no trigger key): customers would get an empty text in its place; choose what keys the journey in the entry (e.g. key: orderId) or take {{key}} out' });
        const found = lookupVariable(path);
        if (found.kind === 'group') add(`{{${path}}} does not say which field to print: use e.g. ${found.examples.map((e) => `{{${e}}}`).join(', ')}`);
        if (found.kind !== 'unknown') continue;
        const guess = meant(path, found.at, found.siblings);
        if (guess) add(`{{${path}}} is not a message variable (customers would get an empty text in its place): did you mean {{${guess}}}?`);
        else add(`{{${path}}} is not a message variable (customers would get an empty text in its place): use customer.<field>, facts.<fact>, key, link or coupon.<field>`);
      }
    }
  });
  return out;
}
