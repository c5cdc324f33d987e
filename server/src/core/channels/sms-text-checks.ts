import type { PathProblem } from '../flow/problems.js';
import { asObject } from '../flow/raw-object.js';

/** 【店铺名】 at the start or the end of the text (blanks around it aside). */
const SIGNATURE = /^\s*【[^【】]+】|【[^【】]+】\s*$/;
/** 回T退订, 退订回T, 回TD退订…: every way of saying it holds 退订. */
const UNSUBSCRIBE = /退订/;

/**
 * What Chinese carriers ask of an SMS before they pass it on, which nothing here adds by itself
 * (no signature setting in rules/channels.yaml or rules/shop.yaml: the shipped flows write
 * 【示例旗舰店】 and 回T退订 into each template by hand):
 *
 * - `signature`: every SMS, of any category, starts (or ends) with the shop's signature in 【】;
 *   the carrier's gateway refuses one without it, and the customer cannot tell who wrote.
 * - `unsubscribe`: a marketing SMS says how to stop them (回T退订), as the rules for commercial
 *   SMS require; transactional and care messages need not.
 *
 * Warnings on the template (a gateway that adds its own signature exists, and the shop knows it),
 * for `rekindle validate`, publishing and the designer (server-problem-words.ts). Pure, on raw nodes.
 */
export function checkSmsText(nodes: readonly unknown[]): PathProblem[] {
  const out: PathProblem[] = [];
  nodes.forEach((raw, index) => {
    const n = asObject(raw);
    if (n?.type !== 'send' || n.channel !== 'sms' || typeof n.template !== 'string' || !n.template.trim()) return;
    const nodeId = typeof n.id === 'string' ? n.id : null;
    const path = ['nodes', index, 'template'];
    if (!SIGNATURE.test(n.template)) {
      out.push({ path, nodeId, severity: 'warning', message: 'this SMS has no signature: carriers refuse an SMS that does not start (or end) with the shop\'s name in 【】; begin the text with it, e.g. 【示例旗舰店】' });
    }
    if ((n.category ?? 'marketing') === 'marketing' && !UNSUBSCRIBE.test(n.template)) {
      out.push({ path, nodeId, severity: 'warning', message: 'this marketing SMS does not say how to unsubscribe: carriers refuse marketing SMS without it; end the text with 回T退订' });
    }
  });
  return out;
}
