import type { Command } from 'commander';
import { AUDIT_ACTIONS } from '../../core/access/audit-actions.js';
import { formatShopTime } from '../../core/engine/local-time.js';
import { closestName } from '../../core/text/closest-name.js';
import { AuditLog, type AuditEntry } from '../../persistence/audit-log.js';
import { CliError, commandContext, output, withDatabase } from '../context.js';

/**
 * An entry's detail as one short line: `key value, key value` (strings unquoted, long values cut).
 * Empty values are left out: an export with no filter printed `flowId null, customerId null, status null`.
 */
export function detailText(detail: Record<string, unknown>): string {
  return Object.entries(detail)
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => {
      const s = typeof v === 'string' ? v : JSON.stringify(v);
      return `${k} ${s.length > 80 ? `${s.slice(0, 77)}...` : s}`;
    })
    .join(', ');
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
    .option('--target <target>', 'only this target, e.g. flow:double11-campaign')
    .action(async (o: { limit: string; action?: string; actor?: string; target?: string }, cmd: Command) => {
      const ctx = commandContext(cmd);
      const limit = Number(o.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new CliError(`--limit: "${o.limit}" is not a whole number from 1 to 1000`);
      if (o.action && !(AUDIT_ACTIONS as readonly string[]).includes(o.action)) {
        const near = closestName(o.action, AUDIT_ACTIONS);
        throw new CliError(`--action: "${o.action}" is not an audited action${near ? ` — did you mean "${near}"?` : ''} (actions: ${AUDIT_ACTIONS.join(', ')})`);
      }
      const entries: AuditEntry[] = await withDatabase(ctx, (ds) => new AuditLog(ds).list({ limit, action: o.action, actor: o.actor, target: o.target }), { existing: true });
      const tz = ctx.workspace.shop.timezone;
      output(ctx, entries, () =>
        entries.length ? entries.map((e) => [formatShopTime(e.at, tz), e.actor, e.action, e.target, detailText(e.detail)].filter(Boolean).join('  ')).join('\n') : 'no audit entries' + (o.action || o.actor || o.target ? ' match' : ''),
      );
    });
}
