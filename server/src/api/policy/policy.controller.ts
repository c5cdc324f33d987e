import { BadRequestException, Body, Controller, Get, Inject, Put } from '@nestjs/common';
import { stringify } from 'yaml';
import type { Workspace } from '../../config/workspace.js';
import { checkPolicy, PolicyError } from '../../core/policy/policy-text.js';
import { PolicyFile, policyFile } from '../../persistence/policy-file.js';
import { WORKSPACE } from '../tokens.js';

/**
 * The shop's contact policy (rules/policy.yaml). PUT validates the whole policy first and only
 * then replaces the file (atomically), so a bad edit changes nothing; the engine picks the new
 * file up at its next batch. Body: the policy as JSON, or `{ "yaml": "<file text>" }` to keep
 * comments.
 */
@Controller('policy')
export class PolicyController {
  private readonly file: PolicyFile;

  constructor(@Inject(WORKSPACE) workspace: Workspace) {
    this.file = new PolicyFile(workspace.rulesDir);
  }

  @Get()
  read() {
    try {
      return { file: 'rules/policy.yaml', policy: this.file.policy(), yaml: this.file.text(), lists: this.file.listNames() };
    } catch (e) {
      throw new BadRequestException({ message: 'rules/policy.yaml is not valid', problems: e instanceof PolicyError ? e.problems : [(e as Error).message] });
    }
  }

  @Put()
  replace(@Body() body: unknown) {
    const where = policyFile(this.file.rulesDir);
    try {
      const yamlText = typeof body === 'object' && body !== null && typeof (body as { yaml?: unknown }).yaml === 'string' ? (body as { yaml: string }).yaml : null;
      if (yamlText === null) checkPolicy(body, 'body');
      const policy = this.file.write(yamlText ?? `# yaml-language-server: $schema=schema/policy.schema.json\n${stringify(body)}`);
      return { file: 'rules/policy.yaml', policy };
    } catch (e) {
      if (e instanceof PolicyError) throw new BadRequestException({ message: `policy not saved: ${where} unchanged`, problems: e.problems });
      throw e;
    }
  }
}
