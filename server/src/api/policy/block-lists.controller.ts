import { BadRequestException, Body, Controller, Inject, NotFoundException, Param, Put } from '@nestjs/common';
import { z } from 'zod';
import type { Workspace } from '../../config/workspace.js';
import type { Principal } from '../../core/access/roles.js';
import { checkedListTitle, LIST_NAME, LIST_TITLE_MAX, ListTitleError } from '../../core/policy/list-title.js';
import { PolicyError } from '../../core/policy/policy-text.js';
import type { AuditLog } from '../../persistence/audit-log.js';
import { PolicyFile } from '../../persistence/policy-file.js';
import { Allow } from '../auth/allow.decorator.js';
import { AUDIT } from '../auth/auth.tokens.js';
import { Caller } from '../auth/principal.decorator.js';
import { DocumentedResponse } from '../openapi/documented-body.js';
import { RefusedOnASimulationCopy } from '../simulation-copy/nothing-runs-on-a-copy.js';
import { WORKSPACE } from '../tokens.js';
import { required } from '../validation/required.js';

/** How answers name the policy file (and, beside it, rules/lists/): never the server's own folders. */
const SHOWN_AS = 'rules/policy.yaml';

const ListNameParam = z.string().regex(LIST_NAME, 'a block list\'s name: lower-case letters, digits, "-" and "_" (its file is rules/lists/<name>.txt)').max(200);
const ListTitleBody = z.object({
  title: z
    .string(required(`the list's title, what people call it (e.g. 差评顾客), at most ${LIST_TITLE_MAX} characters`))
    .superRefine((v, ctx) => {
      try {
        checkedListTitle(v);
      } catch (e) {
        if (e instanceof ListTitleError) ctx.addIssue({ code: 'custom', message: e.message });
        else throw e;
      }
    })
    .describe(`what people call the list (e.g. 差评顾客): one line, 1–${LIST_TITLE_MAX} characters, trimmed`),
});

/**
 * A block list's title (rules/lists/<name>.txt, its `# title:` line: core/policy/list-title.ts).
 * GET /api/policy lists every list with its title (`blockLists`); its PUT is for the whole policy file.
 * Refused on a simulation's copy, as the policy's PUT is: rules/lists/ is the shop's own, not the copy's.
 */
@Controller('policy/lists')
export class BlockListsController {
  private readonly file: PolicyFile;

  constructor(
    @Inject(WORKSPACE) workspace: Workspace,
    @Inject(AUDIT) private readonly audit: AuditLog,
  ) {
    this.file = new PolicyFile(workspace.rulesDir, SHOWN_AS);
  }

  @Put(':name')
  @Allow('admin')
  @RefusedOnASimulationCopy('shop-files')
  @DocumentedResponse(200, '`{name, title, titleBefore}`: the list\'s title now and the one it had (null: none); its customer ids are unchanged')
  @DocumentedResponse(400, 'The title is empty, longer than the limit or more than one line, or the name is not a list name: the message names the field')
  @DocumentedResponse(404, 'No block list of that name (rules/lists/<name>.txt): `rekindle lists import` makes one')
  @DocumentedResponse(409, 'The database is a simulation\'s copy (`code: simulation-copy`): rules/lists/ is the shop\'s own, changed on the live shop\'s server; the file is unchanged')
  async title(@Param('name', { schema: ListNameParam }) name: string, @Body({ schema: ListTitleBody }) body: z.infer<typeof ListTitleBody>, @Caller() caller: Principal) {
    if (!this.file.listNames().includes(name)) throw new NotFoundException(`name: no block list "${name}" (rules/lists/${name}.txt); rekindle lists import makes one`);
    const title = checkedListTitle(body.title);
    let titleBefore: string | null;
    try {
      titleBefore = this.file.setListTitle(name, title);
    } catch (e) {
      if (e instanceof PolicyError) throw new BadRequestException({ message: `rules/lists/${name}.txt is not valid`, problems: e.problems });
      throw e;
    }
    await this.audit.record({ actor: caller.name, action: 'block-list-changed', target: `list:${name}`, detail: { file: `rules/lists/${name}.txt`, titleBefore, title } });
    return { name, title, titleBefore };
  }
}

