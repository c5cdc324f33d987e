import { Controller, Get, Inject, Query } from '@nestjs/common';
import { z } from 'zod';
import type { Workspace } from '../../config/workspace.js';
import { auditActionProblem, auditTargetFilter } from '../../core/access/audit-filter.js';
import type { AuditLog } from '../../persistence/audit-log.js';
import { listFlowIds } from '../../runtime/flow-files.js';
import { flowNamesNow } from '../../runtime/flow-names.js';
import { needsFlowNamesNow, withAuditFlowName } from '../../core/access/audit-flow-name.js';
import { WORKSPACE } from '../tokens.js';
import { Allow } from './allow.decorator.js';
import { AUDIT } from './auth.tokens.js';
import { wholeNumberText } from '../validation/whole-number.js';

const AuditQuery = z.object({
  limit: wholeNumberText(1, 1000).default(100),
  before: wholeNumberText().optional().describe('entries older than this id (paging)'),
  actor: z.string().max(160).optional(),
  // Checked as `rekindle audit --action` checks it (core/access/audit-filter.ts): an unknown action is a 400, not an empty list.
  action: z
    .string()
    .max(64)
    .superRefine((v, ctx) => {
      const problem = auditActionProblem(v);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .optional()
    .describe('only this action (sign-in, flow-published, imported…); an unknown one is refused with the list'),
  target: z.string().max(256).optional().describe('only this target: a flow (double11-campaign, flow:double11-campaign or its file rules/flows/<id>.flow.yaml), user:<name>, segment:<id>, import:orders…'),
});

/**
 * `GET /api/audit`: newest first; `?before=<id>` pages back. An entry about a flow with a name adds
 * `targetName` (the name recorded with it) and `targetNameRecorded` (false: an older entry, named by the flow's name now).
 */
@Controller('audit')
@Allow('admin')
export class AuditController {
  constructor(
    @Inject(AUDIT) private readonly audit: AuditLog,
    @Inject(WORKSPACE) private readonly workspace: Workspace,
  ) {}

  @Get()
  async list(@Query({ schema: AuditQuery }) q: z.infer<typeof AuditQuery>) {
    // A flow named by its id or file finds its `flow:<id>` entries, as `rekindle audit --target` does.
    const target = q.target === undefined ? undefined : auditTargetFilter(q.target, listFlowIds(this.workspace.rulesDir));
    const entries = await this.audit.list({ ...q, target });
    // A flow's name as it was when the entry was written (older entries: its name now, said so), as `rekindle audit` names it.
    const names = needsFlowNamesNow(entries) ? flowNamesNow(this.workspace.rulesDir) : new Map<string, string>();
    return { entries: entries.map((e) => withAuditFlowName(e, names)) };
  }
}
