import { smsBeforeEmail } from '../../../server/src/core/channels/email-before-sms.js';
import type { DraftFlow, Problem } from './types.js';

/**
 * A marketing SMS that goes out before its email, or less than 2 days after it: the shop's rule
 * of thumb is email 2–3 days before the matching SMS wave, to stagger channels. The rule is the
 * engine's (server/src/core/channels/email-before-sms.ts, the same one `rekindle validate` and
 * publishing warn with), imported, so there is one rule; here it is said at once, before the
 * server's answer, in the designer's words. allProblems (local-problems.ts) keeps this one and
 * drops the server's copy.
 *
 * A warning on the SMS step's 渠道 (`path` "channel:<email step id>"): publishing is not refused.
 */
export function emailBeforeSmsProblems(flow: DraftFlow): Problem[] {
  return smsBeforeEmail(flow.nodes).map((f) => ({ line: 0, nodeId: f.nodeId, path: `channel:${f.email}`, message: f.kind === 'after' ? 'local.smsBeforeEmail' : 'local.smsSoonAfterEmail', severity: 'warning' as const }));
}

/** The server's copies of local.smsBeforeEmail and local.smsSoonAfterEmail (the rule both run). */
export const SERVER_SMS_BEFORE_EMAIL = /^this marketing SMS goes out .*the email "[^"]+"/;
