import { existsSync } from 'node:fs';
import { Body, ConflictException, Controller, Delete, Get, HttpCode, Inject, NotFoundException, Param, Post, Put, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import type { Clock } from '../../core/clock.js';
import { serializeFlow } from '../../core/flow/flow-file.js';
import type { Flow } from '../../core/flow/schema.js';
import type { Workspace } from '../../config/workspace.js';
import { DraftStore } from '../../persistence/draft-store.js';
import { FlowRepository } from '../../persistence/flow-repository.js';
import { queryRows } from '../../persistence/sql-batch.js';
import { flowFilePath, flowFileVersionOnDisk } from '../../runtime/flow-files.js';
import type { Principal } from '../../core/access/roles.js';
import type { AuditLog } from '../../persistence/audit-log.js';
import { Allow } from '../auth/allow.decorator.js';
import { AUDIT } from '../auth/auth.tokens.js';
import { actorName, Caller } from '../auth/principal.decorator.js';
import { CLOCK, WORKSPACE } from '../tokens.js';
import { checkDraft } from './flow-drafts.js';
import { draftSaveAudit } from './draft-save-audit.js';
import { savedBy, saverTag } from './draft-saver.js';
import { movedFlow } from './moved-flow.js';
import { draftGoneBy } from './draft-gone-by.js';
import { DraftChanged, draftChangedConflict } from '../journeys/draft-changed.js';
import { knownEventsOf } from '../../runtime/declared-events.js';
import { seenEventTypes } from '../../persistence/event-types.js';
import { STORED_INTEGER_MAX } from '../stored-integer.js';
import { required } from '../validation/required.js';
import { wholeNumberText } from '../validation/whole-number.js';
import { flowNameDetail } from '../../core/access/audit-flow-name.js';

const FlowIdParam = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'flow ids are lower-case letters, digits and "-"').max(64);
const VersionParam = wholeNumberText().describe(`the published version: a whole number, 1 (the first) to ${STORED_INTEGER_MAX}`);
const DraftBody = z.object({
  flow: z.record(z.string(), z.unknown(), required('the flow as drawn (an object with its name, trigger and nodes)')).describe('the flow as drawn; problems do not stop it being kept'),
  layout: z.object({ positions: z.record(z.string(), z.object({ x: z.number(), y: z.number() })) }).optional(),
  baseVersion: z.number().int().positive().max(STORED_INTEGER_MAX).nullable().optional().describe('the published version this draft started from'),
  revision: z.number(required('the draft revision this save is based on (GET /api/flows/:id/draft gives it), or null when the flow has no draft yet')).int().positive().max(STORED_INTEGER_MAX).nullable().describe('the draft revision this save is based on (from GET or the last PUT); null when there is no draft yet. A stale one answers 409 and writes nothing'),
  importedFrom: z.string().min(1).max(200).optional().describe('the name of the file this drawing was imported from (designer: More → Import), on the first save after the import: audited as draft-imported'),
  fileVersion: z
    .string()
    .regex(/^[0-9a-f]{16}$/, 'a fileVersion is the 16 hex digits GET /api/flows/:id/file gives')
    .optional()
    .describe('the `fileVersion` of GET /api/flows/:id/file the drawing was opened from; kept with the draft (its first save takes the file as it is then when left out), so publishing the draft after the file changed in git answers 409 file-changed instead of undoing that change'),
  tab: z
    .string()
    .regex(/^[A-Za-z0-9-]{8,64}$/, 'a tab is 8 to 64 letters, digits or "-"')
    .optional()
    .describe('an id the designer makes for each page it opens, sent with every save: a 409 then tells a save of this tab (whose answer was lost) from another tab of the same login session (conflict.by)'),
  create: z.boolean().optional().describe('true when this save creates a new journey (designer: 新建旅程): refused with 409 (code flow-exists, nothing written) when a journey with this id exists already — a draft, a file in rules/flows/ or a published flow'),
});
const RenameBody = z.object({
  to: FlowIdParam,
  revision: z
    .number()
    .int()
    .positive()
    .max(STORED_INTEGER_MAX)
    .optional()
    .describe('the draft revision the drawing was last saved as (确认发布 moving a new journey to its id): another revision now, or none, answers 409 draft-changed and nothing is moved'),
});
const DiscardQuery = z.object({
  revision: wholeNumberText()
    .optional()
    .describe('only that revision of the draft, a whole number (GET /api/flows/:id/draft gives it; the designer drops the draft it just published): a draft saved since is kept and `discarded` is false'),
});

/**
 * Drafts: what the designer is drawing, autosaved on the server whatever its problems (problems
 * only block publishing), so a reload or another machine gets it back. Editing a running flow
 * edits its draft; the running version changes only when the draft is published.
 */
@Controller()
@Allow('analyst')
export class DraftsController {
  private readonly drafts: DraftStore;
  private readonly flows: FlowRepository;

  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(WORKSPACE) private readonly workspace: Workspace,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(AUDIT) private readonly audit: AuditLog,
  ) {
    this.drafts = new DraftStore(ds);
    this.flows = new FlowRepository(ds);
  }

  /** The draft with its revision (also as ETag); 204 when the flow has none, which is an answer, not an error. */
  @Get('flows/:id/draft')
  async get(@Param('id', { schema: FlowIdParam }) id: string, @Res({ passthrough: true }) res: Response) {
    const d = await this.drafts.get(id);
    if (!d) {
      res.status(204);
      return undefined;
    }
    res.setHeader('ETag', `"${d.revision}"`);
    // The file moved on in git since the draft was drawn from it: publishing the draft would undo that.
    const fileChanged = d.fileVersion !== null && d.fileVersion !== flowFileVersionOnDisk(this.workspace.rulesDir, id);
    const { savedSession: _session, savedTab: _tab, ...draft } = d; // where it was saved from stays on the server
    return { ...draft, fileChanged, problems: checkDraft(d.flow, this.workspace.rulesDir, knownEventsOf(this.workspace.rulesDir, await seenEventTypes(this.ds)), { now: this.clock.now(), timeZone: this.workspace.shop.timezone }).problems };
  }

  /**
   * Keeps the draft (never refused for problems); answers with its problems, as validate would,
   * and its new revision. Refused with 409 (nothing written) when someone saved the draft since
   * the revision this save is based on: two editors must not silently overwrite each other.
   */
  @Put('flows/:id/draft')
  @Allow('marketer')
  async put(@Param('id', { schema: FlowIdParam }) id: string, @Body({ schema: DraftBody }) body: z.infer<typeof DraftBody>, @Caller() caller: Principal | null, @Res({ passthrough: true }) res: Response) {
    // A new journey never lands on an existing one: with revision null, a save over a flow that has
    // no draft yet is how a running journey's first draft starts, so 新建旅程 given a taken id (its
    // list of ids not loaded yet, or someone created it since) replaced that journey's drawing.
    if (body.create && ((await this.drafts.get(id)) || existsSync(flowFilePath(this.workspace.rulesDir, id)) || (await this.flows.list()).some((f) => f.flowId === id))) {
      throw new ConflictException({ message: `a flow "${id}" already exists; choose another id (nothing was written)`, code: 'flow-exists', flowId: id });
    }
    const flow = { ...body.flow, id };
    const updatedAt = this.clock.now();
    const author = actorName(caller);
    const before = await this.drafts.lastSave(id);
    // The file the drawing is based on: as the designer opened it, else (a client that does not say)
    // the file as it is when the draft starts; a later save without it keeps the stored one.
    const fileVersion = body.fileVersion ?? (body.revision === null ? flowFileVersionOnDisk(this.workspace.rulesDir, id) : null);
    const r = await this.drafts.saveIfAt({ flowId: id, flow, layout: body.layout ?? { positions: {} }, baseVersion: body.baseVersion ?? null, author, updatedAt, fileVersion, savedSession: saverTag(caller), savedTab: body.tab ?? null }, body.revision);
    if (!r.saved) {
      const c = r.current;
      // Gone because its first publish moved it to another id: said, with where, so the editor offers
      // that journey — its 保留我的版本 re-created the draft under the old id, a second copy of a
      // running journey (published too, every order would have started both).
      const moved = c || body.revision === null ? null : await movedFlow(this.ds, this.audit, this.workspace.rulesDir, id);
      // Gone otherwise: who published or discarded it last, so the designer can tell "you, in another
      // tab" from someone else (it said 被别人 to a marketer who had published it in their other tab).
      const goneBy = c || moved || body.revision === null ? null : await draftGoneBy(this.audit, id);
      throw new ConflictException({
        message: c
          ? `the draft of "${id}" was saved by ${c.author} at ${new Date(c.updatedAt).toISOString()} (revision ${c.revision}) after revision ${body.revision ?? 'none'} this save is based on; nothing was written`
          : moved
            ? `flow "${id}" has no draft any more: ${moved.author} published it as "${moved.flowId}" at ${new Date(moved.at).toISOString()} (its id changed at the first publish); nothing was written`
            : goneBy
              ? `flow "${id}" has no draft any more: ${goneBy.author} published or discarded it at ${new Date(goneBy.at).toISOString()}; nothing was written`
              : `flow "${id}" has no draft any more (published or discarded); nothing was written`,
        // `by`: this tab, another tab of this login session, another of this account's, or someone else (draft-saver.ts).
        conflict: c ? { author: c.author, updatedAt: c.updatedAt, revision: c.revision, by: savedBy(c, caller, body.tab) } : { author: null, updatedAt: null, revision: null, ...(moved ? { movedTo: moved } : {}), ...(goneBy ? { goneBy } : {}) },
      });
    }
    // Autosaves are coalesced (draft-save-audit.ts): one entry when someone starts editing, and each import.
    const audit = draftSaveAudit(before, { author, at: updatedAt, importedFrom: body.importedFrom ?? null });
    if (audit) await this.audit.record({ actor: author, action: audit.action, target: `flow:${id}`, detail: { ...flowNameDetail(flow), ...audit.detail, revision: r.revision }, at: updatedAt });
    res.setHeader('ETag', `"${r.revision}"`);
    return { flowId: id, updatedAt, revision: r.revision, problems: checkDraft(flow, this.workspace.rulesDir, knownEventsOf(this.workspace.rulesDir, await seenEventTypes(this.ds)), { now: updatedAt, timeZone: this.workspace.shop.timezone }).problems };
  }

  @Delete('flows/:id/draft')
  @Allow('marketer')
  @HttpCode(200)
  async discard(@Param('id', { schema: FlowIdParam }) id: string, @Query({ schema: DiscardQuery }) q: z.infer<typeof DiscardQuery>, @Caller() caller: Principal | null) {
    // Its name as drawn, for the audit entry (read before it goes).
    const named = flowNameDetail((await this.drafts.get(id))?.flow);
    const discarded = await this.drafts.delete(id, q.revision);
    if (discarded) await this.audit.record({ actor: actorName(caller), action: 'draft-discarded', target: `flow:${id}`, detail: { ...named } });
    return { flowId: id, discarded };
  }

  /** A new flow's id follows its name until it is first published (or has a file in rules/flows/). */
  @Post('flows/:id/draft/rename')
  @Allow('marketer')
  @HttpCode(200)
  async rename(@Param('id', { schema: FlowIdParam }) id: string, @Body({ schema: RenameBody }) body: z.infer<typeof RenameBody>, @Caller() caller: Principal | null) {
    const d = await this.drafts.get(id);
    // Moved as saved since from elsewhere, the publish after it would drop that edit (see draft-changed.ts).
    if (body.revision !== undefined && d?.revision !== body.revision) throw await draftChangedConflict(new DraftChanged(id, body.revision, d), caller, undefined, this.audit);
    if (!d) throw new NotFoundException(`flow "${id}" has no draft`);
    if (body.to === id) return { flowId: id, revision: d.revision };
    if ((await this.flows.list()).some((f) => f.flowId === id)) throw new ConflictException(`flow "${id}" has been published; its id can no longer change`);
    if (existsSync(flowFilePath(this.workspace.rulesDir, id))) throw new ConflictException(`flow "${id}" is a file in rules/flows/; rename it there`);
    if ((await this.drafts.get(body.to)) || existsSync(flowFilePath(this.workspace.rulesDir, body.to)) || (await this.flows.list()).some((f) => f.flowId === body.to)) {
      // Named by its field, as the 400 of a malformed id is (`to: …`), with the code 新建旅程's 409 has.
      throw new ConflictException({ message: `to: a flow "${body.to}" already exists; choose another id`, code: 'flow-exists', flowId: body.to });
    }
    await this.drafts.put({ ...d, flowId: body.to, flow: { ...(d.flow as object), id: body.to }, updatedAt: this.clock.now(), revision: d.revision + 1 });
    await this.drafts.delete(id);
    await this.audit.record({ actor: actorName(caller), action: 'draft-renamed', target: `flow:${body.to}`, detail: { ...flowNameDetail(d.flow), from: id } });
    return { flowId: body.to, revision: d.revision + 1 };
  }

  /** One published version as it ran: for the side-by-side diff and "restore as draft". */
  @Get('flows/:id/versions/:version')
  async version(@Param('id', { schema: FlowIdParam }) id: string, @Param('version', { schema: VersionParam }) version: number) {
    const [row] = await queryRows(this.ds, 'SELECT id FROM flow_versions WHERE flow_id = ? AND version = ?', [id, version]);
    if (!row) throw new NotFoundException(`flow "${id}" has no version ${version}`);
    const v = await this.flows.version(Number(row.id));
    return { flowId: id, version: v.version, hash: v.hash, publishedAt: v.publishedAt, author: v.author, flow: v.flow, text: serializeFlow(v.flow as Flow) };
  }
}
