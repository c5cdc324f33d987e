import { BadRequestException, Body, Controller, Get, Inject, Put } from '@nestjs/common';
import { stringify } from 'yaml';
import type { Workspace } from '../../config/workspace.js';
import { checkPolicy, PolicyError } from '../../core/policy/policy-text.js';
import { PolicyFile, policyFile } from '../../persistence/policy-file.js';
import { WORKSPACE } from '../tokens.js';
import type { Principal } from '../../core/access/roles.js';
import type { AuditLog } from '../../persistence/audit-log.js';
import { AUDIT } from '../auth/auth.tokens.js';
import { Caller } from '../auth/principal.decorator.js';
import { Allow } from '../auth/allow.decorator.js';
import { z } from 'zod';
import { PolicySchema } from '../../core/policy/schema.js';
import { DocumentedBody, DocumentedResponse } from '../openapi/documented-body.js';

/**
 * The shop's contact policy (rules/policy.yaml). PUT validates the whole policy first and only
 * then replaces the file (atomically), so a bad edit changes nothing; the engine picks the new
 * file up at its next batch. Body: the policy as JSON, or `{ "yaml": "<file text>" }` to keep
 * comments.
 */
@Controller('policy')
export class PolicyController {
  private readonly file: PolicyFile;

  constructor(
    @Inject(WORKSPACE) workspace: Workspace,
    @Inject(AUDIT) private readonly audit: AuditLog,
  ) {
    this.file = new PolicyFile(workspace.rulesDir);
  }

  @Get()
  @Allow('analyst')
  read() {
    try {
      return { file: 'rules/policy.yaml', policy: this.file.policy(), yaml: this.file.text(), lists: this.file.listNames() };
    } catch (e) {
      throw new BadRequestException({ message: 'rules/policy.yaml is not valid', problems: e instanceof PolicyError ? e.problems : [(e as Error).message] });
    }
  }

  @Put()
  @Allow('admin')
  @DocumentedBody(z.union([PolicySchema, z.object({ yaml: z.string().describe('the whole rules/policy.yaml text (keeps its comments)') })]), 'The whole policy (replaces rules/policy.yaml), as JSON or as `{ "yaml": "<file text>" }`')
  @DocumentedResponse(200, '`{file, policy}`: the policy now in force')
  @DocumentedResponse(400, 'The policy is not valid: `problems` name the field; the file is unchanged')
  async replace(@Body() body: unknown, @Caller() caller: Principal) {
    const where = policyFile(this.file.rulesDir);
    try {
      const yamlText = typeof body === 'object' && body !== null && typeof (body as { yaml?: unknown }).yaml === 'string' ? (body as { yaml: string }).yaml : null;
      if (yamlText === null) checkPolicy(body, 'body');
      let before: string | null = null;
      try {
        before = this.file.text();
      } catch {
        before = null;
      }
      const policy = this.file.write(yamlText ?? `# yaml-language-server: $schema=schema/policy.schema.json\n${stringify(body)}`);
      await this.audit.record({ actor: caller.name, action: 'policy-changed', target: 'rules/policy.yaml', detail: { before, after: this.file.text() } });
      return { file: 'rules/policy.yaml', policy };
    } catch (e) {
      if (e instanceof PolicyError) throw new BadRequestException({ message: `policy not saved: ${where} unchanged`, problems: e.problems });
      throw e;
    }
  }
}
