import type { Command } from 'commander';
import { readRulesFile } from '../../core/text/rules-file-text.js';
import { AUDIT_ACTIONS } from '../../core/access/audit-actions.js';
import { formatShopTime } from '../../core/engine/local-time.js';
import { textChange } from '../../core/text/text-change.js';
import { auditActionProblem, auditTargetFilter } from '../../core/access/audit-filter.js';
import { AuditLog, type AuditEntry } from '../../persistence/audit-log.js';
import { parse } from 'yaml';
import { FLOW_FILE_SUFFIX } from '../../core/flow/flow-file.js';
import { flowFilePath, listFlowIds } from '../../runtime/flow-files.js';
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

/** The name (`name:`) of each flow file in rules/flows/, by id; a file that does not parse has none. */
export function flowNames(rulesDir: string): Map<string, string> {
  const names = new Map<string, string>();
  for (const id of listFlowIds(rulesDir)) {
    try {
      const doc = parse(readRulesFile(flowFilePath(rulesDir, id))) as { name?: unknown } | null;
      if (typeof doc?.name === 'string' && doc.name.trim()) names.set(id, doc.name.trim());
    } catch {
      // an unreadable flow file is validate's to report; here it is named by its id
    }
  }
  return names;
}

/**
 * An entry's target as an operator names it: a flow by its id and name (`flow double11-campaign
 * (双十一大促)`), a segment saved from the designer (stored as its file, rules/segments/<id>.yaml) by
 * its id. Other targets (user:…, import:…, rules/policy.yaml) as stored. JSON keeps the stored target.
 */
export function targetText(target: string, names: ReadonlyMap<string, string>): string {
  if (target.startsWith('flow:')) {
    const id = target.slice(5);
    const name = names.get(id);
    return `flow ${id}${name && name !== id ? ` (${name})` : ''}`;
  }
  const segment = /^rules\/segments\/([^/]+)\.(?:ya?ml|json)$/.exec(target);
  if (segment) return `segment ${segment[1]}`;
  return target;
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
      const names = flowNames(ctx.workspace.rulesDir);
      // A flow's own file in the detail (flow-saved: file rules/flows/<id>.flow.yaml) says nothing the target does not.
      const detail = (e: AuditEntry) => (e.target.startsWith('flow:') && e.detail.file === `rules/flows/${e.target.slice(5)}${FLOW_FILE_SUFFIX}` ? Object.fromEntries(Object.entries(e.detail).filter(([k]) => k !== 'file')) : e.detail);
      output(ctx, entries, () =>
        entries.length ? entries.map((e) => [formatShopTime(e.at, tz), e.actor, e.action, targetText(e.target, names), detailText(detail(e))].filter(Boolean).join('  ')).join('\n') : 'no audit entries' + (o.action || o.actor || o.target ? ' match' : ''),
      );
    });
}
