import type { Command } from 'commander';
import { AUDIT_ACTIONS } from '../../core/access/audit-actions.js';
import { formatShopTime } from '../../core/engine/local-time.js';
import { textChange } from '../../core/text/text-change.js';
import { auditActionProblem, auditTargetFilter } from '../../core/access/audit-filter.js';
import { AuditLog, type AuditEntry } from '../../persistence/audit-log.js';
import { FLOW_FILE_SUFFIX } from '../../core/flow/flow-file.js';
import { listFlowIds } from '../../runtime/flow-files.js';
import { flowNamesNow } from '../../runtime/flow-names.js';
import { auditFlowName, needsFlowNamesNow, withAuditFlowName } from '../../core/access/audit-flow-name.js';
import { CliError, commandContext, output, withDatabase } from '../context.js';

/**
 * An entry's detail as one short line: `key value, key value` (strings unquoted, long values cut).
 * Empty values are left out: an export with no filter printed `flowId null, customerId null, status null`.
 */
export function detailText(detail: Record<string, unknown>): string {
  // A file's before and after (policy-changed) as what changed between them: cut at 80 characters
  // each, both were the file's unchanged first lines.
  if (typeof detail.before === 'string' && typeof detail.after === 'string' && /\n/.test(detail.before + detail.after)) {
    const { before, after, ...rest } = detail;
    return [textChange(before, after), detailText(rest)].filter(Boolean).join(', ');
  }
  return Object.entries(detail)
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => {
      const s = typeof v === 'string' ? v : JSON.stringify(v);
      return `${k} ${s.length > 80 ? `${s.slice(0, 77)}...` : s}`;
    })
    .join(', ');
}

/**
 * An entry's target as an operator names it: a flow by its id and name (`flow double11-campaign
 * (双十一大促)`) — the name recorded with the entry, or for one written before names were recorded
 * the flow's name now, said so (`(双十一大促, its name now)`) — a segment saved from the designer
 * (stored as its file, rules/segments/<id>.yaml) by its id. Other targets (user:…, import:…,
 * rules/policy.yaml) as stored. JSON keeps the stored target.
 */
export function targetText(entry: { target: string; detail: Record<string, unknown> }, namesNow: ReadonlyMap<string, string>): string {
  const { target } = entry;
  if (target.startsWith('flow:')) {
    const id = target.slice(5);
    const named = auditFlowName(entry, namesNow);
    if (!named || named.name === id) return `flow ${id}`;
    return `flow ${id} (${named.name}${named.recorded ? '' : ', its name now'})`;
  }
  const segment = /^rules\/segments\/([^/]+)\.(?:ya?ml|json)$/.exec(target);
  if (segment) return `segment ${segment[1]}`;
  return target;
}

/**
 * What the detail of an entry about a flow says beside its target: not the flow's own file
 * (flow-saved: file rules/flows/<id>.flow.yaml) nor its name, both already in the target's words.
 */
function detailBesideTarget(e: AuditEntry): Record<string, unknown> {
  if (!e.target.startsWith('flow:')) return e.detail;
  const ownFile = `rules/flows/${e.target.slice(5)}${FLOW_FILE_SUFFIX}`;
  return Object.fromEntries(Object.entries(e.detail).filter(([k, v]) => !(k === 'file' && v === ownFile) && k !== 'name'));
}

/**
 * `rekindle audit`: the newest entries of the audit log (docs/security.md), as GET /api/audit gives
 * them to admins, for an operator at the shop's machine: who published, imported, edited a draft…
 * Times in the shop's zone.
 */
export function registerAudit(program: Command): void {
  program
    .command('audit')
    .description('the newest entries of the audit log: who signed in, edited or published a journey, imported or exported data')
    .option('--limit <n>', 'how many entries, newest first (at most 1000)', '50')
    .option('--action <action>', `only this action (${AUDIT_ACTIONS.join(', ')})`)
    .option('--actor <name>', 'only this account, token:<name> or cli:<user>')
    .option('--target <target>', 'only this target: a flow (double11-campaign, flow:double11-campaign or its file), user:<name>, segment:<id>, import:orders…')
    .action(async (o: { limit: string; action?: string; actor?: string; target?: string }, cmd: Command) => {
      const ctx = commandContext(cmd);
      const limit = Number(o.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new CliError(`--limit: "${o.limit}" is not a whole number from 1 to 1000`);
      const actionProblem = o.action ? auditActionProblem(o.action) : null;
      if (actionProblem) throw new CliError(`--action: ${actionProblem}`);
      const target = o.target === undefined ? undefined : auditTargetFilter(o.target, listFlowIds(ctx.workspace.rulesDir));
      const entries: AuditEntry[] = await withDatabase(ctx, (ds) => new AuditLog(ds).list({ limit, action: o.action, actor: o.actor, target }), { existing: true });
      const tz = ctx.workspace.shop.timezone;
      const names = needsFlowNamesNow(entries) ? flowNamesNow(ctx.workspace.rulesDir) : new Map<string, string>();
      output(ctx, entries.map((e) => withAuditFlowName(e, names)), () =>
        entries.length ? entries.map((e) => [formatShopTime(e.at, tz), e.actor, e.action, targetText(e, names), detailText(detailBesideTarget(e))].filter(Boolean).join('  ')).join('\n') : 'no audit entries' + (o.action || o.actor || o.target ? ' match' : ''),
      );
    });
}
