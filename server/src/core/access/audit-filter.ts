import { FLOW_FILE_SUFFIX } from '../flow/flow-file.js';
import { closestName } from '../text/closest-name.js';
import { AUDIT_ACTIONS } from './audit-actions.js';

/**
 * The audit log's filters as `GET /api/audit` and `rekindle audit` both read them: one meaning for
 * both (before, the API answered `?action=nonsense` with an empty list where the CLI said the action
 * was unknown, and `?target=<flow id>` found nothing where the CLI found the flow's entries).
 */

/** Why `given` is not an action the audit log records (with the nearest one and the list), or null. */
export function auditActionProblem(given: string): string | null {
  if ((AUDIT_ACTIONS as readonly string[]).includes(given)) return null;
  const near = closestName(given, AUDIT_ACTIONS);
  return `"${given}" is not an audited action${near ? ` — did you mean "${near}"?` : ''} (actions: ${AUDIT_ACTIONS.join(', ')})`;
}

/**
 * The stored target a given target filter means: `flow:<id>` as stored; a flow's id alone (one of
 * `flowIds`) or its file (rules/flows/<id>.flow.yaml) is the same flow; `segment:<id>` is the
 * segment's file. Anything else (user:…, import:…, rules/policy.yaml) as given.
 */
export function auditTargetFilter(given: string, flowIds: readonly string[]): string {
  if (given.endsWith(FLOW_FILE_SUFFIX)) return `flow:${given.slice(given.lastIndexOf('/') + 1).slice(0, -FLOW_FILE_SUFFIX.length)}`;
  if (given.startsWith('segment:')) return `rules/segments/${given.slice('segment:'.length)}.yaml`;
  if (!given.includes(':') && !given.includes('/') && flowIds.includes(given)) return `flow:${given}`;
  return given;
}
