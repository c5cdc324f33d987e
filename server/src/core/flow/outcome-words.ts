import { explainReason } from '../policy/explain-reason.js';
import type { ListTitles } from '../policy/list-title.js';
import { groupCaseLabel } from './group-case-label.js';

/**
 * A logged step outcome (journey_steps.outcome: `blocked:no-consent:email`, `exited:exit:done`,
 * `completed:order_paid`, `case:…`, `group:cap-deep-1`) in words, for text output (`simulate`'s
 * node table, `explain`'s journey lines). JSON and CSV keep the codes. Held-back reasons are the
 * policy's words (explain-reason.ts), as `report --funnel` says them. An outcome without words
 * keeps its code. Given the flow, a group is named with the case that led to it; given the block
 * lists' titles (read once by the caller), a list by its title.
 */
export function outcomeWords(outcome: string, flow?: Parameters<typeof groupCaseLabel>[0], listTitles: ListTitles = {}): string {
  const colon = outcome.indexOf(':');
  const kind = colon < 0 ? outcome : outcome.slice(0, colon);
  const rest = colon < 0 ? '' : outcome.slice(colon + 1);
  const reason = (r: string) => explainReason(r, listTitles) ?? r;
  switch (kind) {
    case 'timed-out':
      return 'timed out (no response)';
    case 'else':
      return 'no case matched';
    case 'awaiting-decision':
      return 'waits for a decision';
    case 'group-full':
      return 'group full: took the overflow path';
    case 'case':
      return `case "${rest}"`;
    case 'arm':
      return `arm ${rest}`;
    case 'group': {
      const label = flow ? groupCaseLabel(flow, rest) : null;
      return label ? `group ${rest} (${label})` : `group ${rest}`;
    }
    case 'queued':
      return rest ? `queued (${reason(rest)})` : 'queued';
    case 'blocked':
      return `held back (${reason(rest)})`;
    case 'skipped':
      return `skipped (${reason(rest)})`;
    case 'capped':
      return `capped (${reason(rest)})`;
    case 'deferred':
      return rest === 'group-full' ? 'waits: the group is full for today' : `waits (${reason(rest)})`;
    case 'completed':
      return `goal reached (${endWords(rest)})`;
    case 'exited':
      return `left (${endWords(rest)})`;
    default:
      return outcome;
  }
}

/**
 * A message's status in the send log (sends.status with sends.reason) in words, for `explain`'s
 * message lines: `blocked` + `no-consent:sms` reads "held back (no marketing consent for sms)",
 * as the node table says it. JSON keeps status and reason as codes.
 */
export function sendStatusWords(status: string, reason: string | null, listTitles: ListTitles = {}): string {
  const why = reason ? (explainReason(reason, listTitles) ?? reason) : null;
  switch (status) {
    case 'blocked':
      return `held back (${why ?? 'no reason recorded'})`;
    case 'skipped':
      return why ? `skipped (${why})` : 'skipped';
    default:
      return why ? `${status} (${why})` : status;
  }
}

/** Why a journey ended (enrollments.exit_reason): an exit or goal node, a removed customer, a full group, or an event that ends it. */
export function endWords(reason: string): string {
  if (reason.startsWith('exit:')) return `exit ${reason.slice(5)}`;
  if (reason.startsWith('goal:')) return `goal ${reason.slice(5)}`;
  if (reason === 'customer-removed') return 'the customer was removed';
  if (reason === 'group-full') return 'the group was full';
  if (reason === 'too-many-steps') return 'too many steps in one tick (a loop without a wait)';
  return reason.replace(/_/g, ' ');
}
