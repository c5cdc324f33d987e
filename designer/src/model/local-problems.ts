import { parseTypedDuration } from './duration.js';
import { unsentCouponProblems } from './coupon-unsent.js';
import { emailBeforeSmsProblems, SERVER_SMS_BEFORE_EMAIL } from './email-before-sms.js';
import { kindTriggerProblems } from './kind-follows-trigger.js';
import type { DraftFlow, Problem } from './types.js';

/**
 * Problems the designer sees at once, before the server's checks (which need a connected,
 * well-formed flow and are not asked about an empty one): a journey without an entry, an empty
 * rule group (it would match everyone), a wait of zero, arm weights that do not add up to 100%.
 * `message` is an i18n key; `path` carries the numbers to fill in.
 */
export function localProblems(flow: DraftFlow): Problem[] {
  const out: Problem[] = [];
  const add = (nodeId: string | null, message: string, path: string) => out.push({ line: 0, nodeId, path, message, severity: 'error' });
  // A blank journey has nothing to publish: without this, it showed "no problems" and an enabled 发布.
  if (!flow.nodes.some((n) => n.type === 'entry')) add(null, 'local.noEntry', 'nodes');
  const hasEmptyGroup = (c: unknown): boolean => {
    if (!c || typeof c !== 'object') return false;
    const o = c as Record<string, unknown>;
    for (const k of ['all', 'any'] as const) {
      if (Array.isArray(o[k])) return (o[k] as unknown[]).length === 0 || (o[k] as unknown[]).some(hasEmptyGroup);
    }
    return o.not ? hasEmptyGroup(o.not) : false;
  };
  for (const n of flow.nodes) {
    if (n.type === 'condition' && n.conditions !== undefined && hasEmptyGroup(n.conditions)) add(n.id, 'local.emptyGroup', 'conditions');
    if (n.type === 'switch' && Array.isArray(n.cases)) {
      (n.cases as Record<string, unknown>[]).forEach((c, i) => c.conditions !== undefined && hasEmptyGroup(c.conditions) && add(n.id, 'local.emptyGroup', `cases.${i}.conditions`));
    }
    if (n.type === 'entry') {
      const tr = (n.trigger ?? {}) as Record<string, unknown>;
      if (tr.conditions !== undefined && hasEmptyGroup(tr.conditions)) add(n.id, 'local.emptyGroup', 'trigger.conditions');
    }
    if (n.type === 'wait' && typeof n.duration === 'string' && parseTypedDuration(n.duration) === 0) add(n.id, 'local.zeroWait', 'duration');
    if (n.type === 'waitForEvent' && typeof n.within === 'string' && parseTypedDuration(n.within) === 0) add(n.id, 'local.zeroWait', 'within');
    if (n.type === 'split' && Array.isArray(n.arms) && n.arms.length) {
      const weights = (n.arms as Record<string, unknown>[]).map((a) => (typeof a.weight === 'number' ? a.weight : 0));
      const sum = weights.reduce((a, b) => a + b, 0);
      if (Math.abs(sum - 100) > 1e-9) add(n.id, 'local.weights', `arms:${sum}`);
    }
  }
  return [...out, ...kindTriggerProblems(flow), ...unsentCouponProblems(flow), ...emailBeforeSmsProblems(flow)];
}

/** The server's "a flow needs exactly one entry node; there is none": the same as local.noEntry. */
const SERVER_NO_ENTRY = /^a flow needs exactly one entry node; there is none$/;

/** The server's copy of local.couponNotSent (core/coupons/unsent-coupons.ts, the rule both run). */
const SERVER_COUPON_NOT_SENT = /^prints the coupon that "[^"]+" issues, which goes out only with/;

/** The server's problems and the designer's own, each said once (the missing entry, a coupon not sent, an SMS before its email: both find them). */
export function allProblems(server: readonly Problem[], flow: DraftFlow): Problem[] {
  const local = localProblems(flow);
  const noEntry = local.some((p) => p.message === 'local.noEntry');
  const unsent = new Set(local.filter((p) => p.message === 'local.couponNotSent').map((p) => p.nodeId));
  const staggered = new Set(local.filter((p) => p.message === 'local.smsBeforeEmail' || p.message === 'local.smsSoonAfterEmail').map((p) => p.nodeId));
  const saidHere = (p: Problem) => (unsent.has(p.nodeId) && SERVER_COUPON_NOT_SENT.test(p.message)) || (staggered.has(p.nodeId) && SERVER_SMS_BEFORE_EMAIL.test(p.message));
  return [...server.filter((p) => !(noEntry && SERVER_NO_ENTRY.test(p.message)) && !saidHere(p)), ...local];
}
