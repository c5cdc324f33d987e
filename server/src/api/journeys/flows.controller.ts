import { DocumentedResponse } from '../openapi/documented-body.js';
import { BadRequestException, Body, ConflictException, Controller, Get, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import type { Clock } from '../../core/clock.js';
import type { Workspace } from '../../config/workspace.js';
import { publishRequestSummary } from '../../core/flow/publish-request-summary.js';
import { FlowLifecycleError } from '../../persistence/flow-repository.js';
import { PublishRequestStore } from '../../persistence/publish-requests.js';
import type { EngineRuntime } from '../../runtime/engine-runtime.js';
import { flowOverview } from '../../runtime/flow-files.js';
import { CLOCK, WORKSPACE } from '../tokens.js';
import { ENGINE_RUNTIME } from './engine-runtime.provider.js';
import { FlowPublisher } from './flow-publisher.js';
import { DraftChanged, draftChangedConflict } from './draft-changed.js';
import { JourneyTicker } from './journey-ticker.js';
import { publishRequestView } from './publish-request-view.js';
import { AnotherPlannerPlans } from '../../runtime/planner-turn.js';
import { withSimulations } from '../../runtime/simulated-flow.js';
import type { Principal } from '../../core/access/roles.js';
import { flowNameDetail, liveVersionDetail } from '../../core/access/audit-flow-name.js';
import type { AuditLog } from '../../persistence/audit-log.js';
import { Allow } from '../auth/allow.decorator.js';
import { AUDIT } from '../auth/auth.tokens.js';
import { Caller } from '../auth/principal.decorator.js';
import { STORED_INTEGER_MAX } from '../stored-integer.js';
import { RefusedOnASimulationCopy } from '../simulation-copy/nothing-runs-on-a-copy.js';

/** The designer's publish sends what is drawn: it is checked, published, and only then written as the flow's files. */
const PublishBody = z
  .object({
    flow: z.unknown().optional().describe('the journey as drawn (the flow file as JSON); without it the file on disk is published'),
    layout: z.unknown().optional(),
    create: z.boolean().optional().describe('a new flow: refuse (409) when the file exists'),
    ifFileVersion: z
      .string()
      .regex(/^[0-9a-f]{16}$/, 'a fileVersion is the 16 hex digits GET /api/flows/:id/file gives')
      .optional()
      .describe('with `flow`: the `fileVersion` of the file the drawing was opened from (default: the one kept with the flow\'s draft); 409 file-changed, nothing written, when rules/flows/<id>.flow.yaml is no longer that version (changed in git since)'),
    note: z.string().max(2000, 'a note is at most 2,000 characters').optional().describe('with publish approval on: a word to the approver (what changed, why now)'),
    ifDraftRevision: z
      .number()
      .int()
      .positive()
      .max(STORED_INTEGER_MAX)
      .nullable()
      .optional()
      .describe("with `flow`: the draft revision the drawing was last saved as (null: it has no draft); 409 draft-changed, nothing written or published, when the flow's draft is now another revision (saved from another tab or by someone else since) or gone"),
    tab: z.string().regex(/^[A-Za-z0-9-]{8,64}$/, 'a tab is 8 to 64 letters, digits or "-"').optional().describe("the designer page's id, as with draft saves: a draft-changed 409 then tells this tab from another (conflict.by)"),
  })
  .default({});
const FlowIdParam = z.string().max(64, 'flow ids are at most 64 characters').regex(/^[a-z0-9][a-z0-9-]*$/, 'flow ids are lower-case letters, digits and "-"');

/** Publish, pause, resume and stop flows kept as files in rules/flows/. */
@Controller()
export class FlowsController {
  constructor(
    @Inject(ENGINE_RUNTIME) private readonly runtime: EngineRuntime,
    @Inject(WORKSPACE) private readonly workspace: Workspace,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(JourneyTicker) private readonly ticker: JourneyTicker,
    @Inject(AUDIT) private readonly audit: AuditLog,
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(FlowPublisher) private readonly publisher: FlowPublisher,
  ) {}

  @Get('flows')
  @Allow('analyst')
  async list() {
    // On a simulation's copy a flow says its simulation is here (its figures are read by its id).
    return withSimulations(await flowOverview(this.workspace.rulesDir, this.runtime.flows));
  }

  @Post('flows/:id/publish')
  @Allow('marketer')
  @RefusedOnASimulationCopy('goes-live')
  @HttpCode(200)
  @DocumentedResponse(200, 'Without `flow`: publishes rules/flows/<id>.flow.yaml as it is on disk. With `flow` (and `layout`): checks it, publishes it, and only then writes it as rules/flows/<id>.flow.yaml and .layout.yaml. Answers `{flowId, version, hash, created, warnings}` (`created: false` when that text is already the published version)')
  @DocumentedResponse(202, 'Publish approval is on (rules/shop.yaml `approval: {publish: true}`): every check passed and the journey was asked to go live, nothing written or published yet. Answers `{flowId, pendingApproval: true, request, warnings}`; an admin other than the caller decides it (`/api/publish-requests`)')
  @DocumentedResponse(404, 'No rules/flows/<id>.flow.yaml')
  @DocumentedResponse(409, '`code: file-changed`: with `flow`, rules/flows/<id>.flow.yaml changed since the version the drawing is based on (`ifFileVersion`, or the draft\'s); nothing was written or published. `code: draft-changed`: with `ifDraftRevision`, the flow\'s draft is another revision now or gone (`conflict` says who, as a refused draft save does); nothing was written or published. `code: simulation-copy`: the database is a simulation\'s copy, where nothing runs; nothing was written, published or asked. `code` absent: a new flow (`create`) whose file exists')
  @DocumentedResponse(422, 'The flow has problems (`problems` name file, line and node); nothing was written or published')
  async publish(@Param('id', { schema: FlowIdParam }) id: string, @Body({ schema: PublishBody }) body: z.infer<typeof PublishBody>, @Caller() caller: Principal, @Res({ passthrough: true }) res: Response) {
    try {
      return await this.publishOrRequest(id, body, caller, res);
    } catch (e) {
      throw e instanceof DraftChanged ? await draftChangedConflict(e, caller, body.tab, this.audit) : e;
    }
  }

  private async publishOrRequest(id: string, body: z.infer<typeof PublishBody>, caller: Principal, res: Response) {
    if (!this.publisher.approvalRequired) return this.publisher.publish(id, body, { actor: caller.name });
    // Publish approval (rules/shop.yaml): every check now, so a request an approver sees can go
    // live as it is; nothing is written or published until an admin other than the caller approves.
    const { flow, warnings, fileVersion } = await this.publisher.check(id, body);
    const request = await new PublishRequestStore(this.ds).add({
      flowId: id,
      flow: body.flow ?? null,
      layout: body.flow === undefined ? null : (body.layout ?? null),
      isNew: body.create === true,
      fileVersion,
      summary: publishRequestSummary(flow),
      requestedBy: caller.name,
      requestedAt: this.clock.now(),
      note: body.note ?? null,
    });
    await this.audit.record({ actor: caller.name, action: 'flow-publish-requested', target: `flow:${id}`, detail: { ...flowNameDetail(flow), request: request.id, ...(body.note ? { note: body.note } : {}), ...(request.replaced.length ? { replaced: request.replaced.map((x) => ({ request: x.id, requestedBy: x.requestedBy })) } : {}) } });
    res.status(202);
    return { flowId: id, pendingApproval: true, request: publishRequestView(request), warnings };
  }

  @Post('flows/:id/:action')
  @Allow('marketer')
  @RefusedOnASimulationCopy('goes-live')
  @DocumentedResponse(200, '`{flowId, status}`: `paused`, `active` or `stopped` (a stop with `exited`: the journeys it ended)')
  @DocumentedResponse(409, 'The flow cannot do that now (not published, already stopped…); or the database is a simulation\'s copy (`code: simulation-copy`), where nothing runs: nothing was changed')
  @HttpCode(200)
  async lifecycle(@Param('id', { schema: FlowIdParam }) id: string, @Param('action') action: string, @Caller() caller: Principal) {
    const now = this.clock.now();
    try {
      if (action === 'pause') await this.runtime.flows.pause(id, now);
      else if (action === 'resume') await this.runtime.flows.resume(id, now);
      else if (action === 'stop') {
        const exited = await this.runtime.flows.stop(id, now);
        await this.audit.record({ actor: caller.name, action: 'flow-stopped', target: `flow:${id}`, detail: { ...(await this.liveVersionDetail(id)), exited }, at: now });
        return { flowId: id, status: 'stopped', exited };
      } else throw new BadRequestException(`unknown action "${action}" (publish, pause, resume or stop)`);
    } catch (e) {
      if (e instanceof FlowLifecycleError) throw new ConflictException(e.message);
      throw e;
    }
    await this.audit.record({ actor: caller.name, action: action === 'pause' ? 'flow-paused' : 'flow-resumed', target: `flow:${id}`, detail: await this.liveVersionDetail(id), at: now });
    return { flowId: id, status: action === 'pause' ? 'paused' : 'active' };
  }

  /** The live version's name and number, for the audit entry of a pause, resume or stop (what it acted on, whatever the flow is called later). */
  private async liveVersionDetail(id: string) {
    return liveVersionDetail(await this.runtime.flows.liveVersion(id));
  }

  /** Runs due entries and steps now instead of waiting for the scheduler; 409 while another process plans the shop, or on a simulation's copy. */
  @Post('engine/tick')
  @Allow('admin')
  @RefusedOnASimulationCopy()
  @DocumentedResponse(200, 'The tick: `{entries, steps}` — who entered which flow, and what was stepped and queued')
  @DocumentedResponse(409, 'PostgreSQL: another process (a server or `rekindle scheduler`, named) holds the shop\'s planner lease and plans it; or the database is a simulation\'s copy (`code: simulation-copy`), where no journey moves. Nothing was ticked')
  @HttpCode(200)
  async tick() {
    try {
      return await this.ticker.tickByHand();
    } catch (e) {
      if (e instanceof AnotherPlannerPlans) throw new ConflictException(e.message);
      throw e;
    }
  }
}
