import { paymentReminderSteps } from './payment-reminder-steps.js';
import type { PathProblem } from './problems.js';
import { asObject, type Raw } from './raw-object.js';

export { paymentReminderSteps };

/**
 * A send step's `category` against what the step is (docs/policy.md: marketing counts against
 * the shop's marketing caps, give-up and block lists; care and transactional do not, and
 * transactional reaches customers who unsubscribed from marketing). Two slips, each a warning:
 *
 * - a **payment reminder** marked `marketing`: a send in a journey that starts at `order_created`
 *   (one unpaid order: what it sends is about that order), or one reached through the `timedOut`
 *   branch of a wait for this order's payment (`order_paid` matched on `orderId: $key`). It
 *   would take a slot of the marketing caps (the shop's one marketing message a day) and be held
 *   back by the give-up rule. A reminder that carries a coupon promotes: marketing is right, so
 *   it is not warned about (the shipped 催付提醒 says so in its remind-2 description).
 * - **promotional copy** marked `transactional` or `care`: a send that issues or names a coupon,
 *   or whose text has a promotion's words (领券, 大促, 秒杀…), would skip the marketing caps and
 *   block lists. Only what is cheap and sure to read as a promotion is looked for.
 *
 * Works on the raw nodes, like the graph checks; a missing category is the schema's default
 * (marketing).
 */
export const PROMOTION_WORDS = /优惠券|领券|红包|满\d+减|打折|折扣|特价|秒杀|大促|新品|上新|抢购|清仓|促销/;


/** Whether a send step's own fields read as a promotion (a coupon, or a promotion's words). */
export function promotionIn(node: Raw): string | null {
  if (node.coupon !== undefined && node.coupon !== null && node.coupon !== '') return 'it issues a coupon';
  const text = `${typeof node.subject === 'string' ? node.subject : ''} ${typeof node.template === 'string' ? node.template : ''}`;
  if (/\{\{\s*coupon[.}\s]/.test(text)) return 'it names a coupon';
  const m = PROMOTION_WORDS.exec(text);
  return m ? `its text says "${m[0]}"` : null;
}

export function checkSendKinds(nodes: readonly unknown[]): PathProblem[] {
  const reminders = paymentReminderSteps(nodes);
  const out: PathProblem[] = [];
  nodes.forEach((raw, index) => {
    const n = asObject(raw);
    if (!n || n.type !== 'send' || typeof n.id !== 'string') return;
    const category = n.category ?? 'marketing';
    const promotion = promotionIn(n);
    if (category === 'marketing' && reminders.has(n.id) && !promotion) {
      out.push({
        path: ['nodes', index, 'category'],
        nodeId: n.id,
        severity: 'warning',
        message: `a payment reminder (it reminds the customer of their own unpaid order) is category marketing: it takes a slot of the shop's marketing caps and is held back by the give-up rule and block lists; mark it category: transactional (keep marketing only when it promotes, e.g. with a coupon)`,
      });
    } else if ((category === 'transactional' || category === 'care') && promotion) {
      out.push({
        path: ['nodes', index, 'category'],
        nodeId: n.id,
        severity: 'warning',
        message: `category ${String(category)} on a promotion (${promotion}): a promotion is marketing, and as ${String(category)} it skips the shop's marketing caps, give-up rule and block lists; mark it category: marketing`,
      });
    }
  });
  return out;
}
