import { BadRequestException, Body, ConflictException, Controller, Get, Inject, Put } from '@nestjs/common';
import { stringify } from 'yaml';
import type { Workspace } from '../../config/workspace.js';
import { checkPolicy, PolicyError } from '../../core/policy/policy-text.js';
import { PolicyFile } from '../../persistence/policy-file.js';
import { WORKSPACE } from '../tokens.js';
import type { Principal } from '../../core/access/roles.js';
import type { AuditLog } from '../../persistence/audit-log.js';
import { AUDIT } from '../auth/auth.tokens.js';
import { Caller } from '../auth/principal.decorator.js';
import { Allow } from '../auth/allow.decorator.js';
import { z } from 'zod';
import { PolicySchema } from '../../core/policy/schema.js';
import { PolicyVersionConflict, policyVersion } from '../../core/policy/policy-version.js';
import { DocumentedBody, DocumentedResponse } from '../openapi/documented-body.js';
import { RefusedOnASimulationCopy } from '../simulation-copy/nothing-runs-on-a-copy.js';

/** How answers name the file: never the server's own folders. */
const SHOWN_AS = 'rules/policy.yaml';

const IfVersion = z.string().min(1).optional().describe('the `version` of GET /api/policy this edit is based on: a file changed since answers 409 and is not overwritten. Leave out to replace the file whatever it holds');

/**
 * The shop's contact policy (rules/policy.yaml). PUT validates the whole policy first and only
 * then replaces the file (atomically), so a bad edit changes nothing; the engine picks the new
 * file up at its next batch. Body: the policy as JSON, or `{ "yaml": "<file text>" }` to keep
 * comments. GET gives the file's `version`; a PUT with `ifVersion` (in either body) is refused
 * with 409 when the file changed since (someone else saved, or a `git pull`), so the designer's
 * save never silently overwrites it. Without `ifVersion` the file is replaced as it is (scripts).
 */
@Controller('policy')
export class PolicyController {
  private readonly file: PolicyFile;

  constructor(
    @Inject(WORKSPACE) workspace: Workspace,
    @Inject(AUDIT) private readonly audit: AuditLog,
  ) {
    this.file = new PolicyFile(workspace.rulesDir, SHOWN_AS);
  }

  @Get()
  @Allow('analyst')
  read() {
    try {
      const yaml = this.file.text();
      // `lists`: the names, as before; `blockLists`: each with its title (null: it has none).
      return { file: SHOWN_AS, policy: this.file.policy(), yaml, version: policyVersion(yaml), lists: this.file.listNames(), blockLists: this.file.listsWithTitles() };
    } catch (e) {
      throw new BadRequestException({ message: 'rules/policy.yaml is not valid', problems: e instanceof PolicyError ? e.problems : [(e as Error).message] });
    }
  }

  @Put()
  @Allow('admin')
  @RefusedOnASimulationCopy('shop-files')
  @DocumentedBody(
    z.union([PolicySchema.extend({ ifVersion: IfVersion }), z.object({ yaml: z.string().describe('the whole rules/policy.yaml text (keeps its comments)'), ifVersion: IfVersion })]),
    'The whole policy (replaces rules/policy.yaml), as JSON or as `{ "yaml": "<file text>" }`; with `ifVersion` only if the file is still at that version',
  )
  @DocumentedResponse(200, '`{file, policy, version}`: the policy now in force and the file\'s new version')
  @DocumentedResponse(400, 'The policy (or `ifVersion`) is not valid: `problems` name the field; the file is unchanged')
  @DocumentedResponse(409, 'rules/policy.yaml changed since `ifVersion`: `version` is the file\'s version now; the file is unchanged (load it again, redo the edit); or the database is a simulation\'s copy (`code: simulation-copy`, `refused: shop-files`): the copy is of the database only and rules/ is the shop\'s own, so the file is unchanged')
  async replace(@Body() body: unknown, @Caller() caller: Principal) {
    const where = SHOWN_AS;
    try {
      const { ifVersion, rest } = splitVersion(body);
      const yamlText = typeof rest.yaml === 'string' ? rest.yaml : null;
      if (yamlText === null) checkPolicy(rest, 'body');
      let before: string | null = null;
      try {
        before = this.file.text();
      } catch {
        before = null;
      }
      const policy = this.file.write(yamlText ?? `# yaml-language-server: $schema=schema/policy.schema.json\n${stringify(rest)}`, ifVersion);
      const after = this.file.text();
      await this.audit.record({ actor: caller.name, action: 'policy-changed', target: SHOWN_AS, detail: { before, after } });
      return { file: SHOWN_AS, policy, version: policyVersion(after) };
    } catch (e) {
      if (e instanceof PolicyError) throw new BadRequestException({ message: `policy not saved: ${where} unchanged`, problems: e.problems });
      if (e instanceof PolicyVersionConflict) throw new ConflictException({ statusCode: 409, code: 'policy-changed', message: e.message, ifVersion: e.basedOn, version: e.current });
      throw e;
    }
  }
}

/** The body without `ifVersion` (which is not part of the policy and must not be written into the file). */
function splitVersion(body: unknown): { ifVersion: string | undefined; rest: Record<string, unknown> } {
  // Not an object: the schema says what it should be.
  if (typeof body !== 'object' || body === null || Array.isArray(body)) checkPolicy(body, 'body');
  const { ifVersion, ...rest } = body as Record<string, unknown>;
  if (ifVersion !== undefined && (typeof ifVersion !== 'string' || ifVersion === '')) throw new PolicyError([`body ifVersion: expected the version string of GET /api/policy, got ${JSON.stringify(ifVersion)}`]);
  return { ifVersion: ifVersion as string | undefined, rest };
}
