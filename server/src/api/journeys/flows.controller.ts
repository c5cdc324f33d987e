import { DocumentedResponse } from '../openapi/documented-body.js';
import { BadRequestException, Body, ConflictException, Controller, Get, HttpCode, Inject, NotFoundException, Param, Post, UnprocessableEntityException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import type { Clock } from '../../core/clock.js';
import type { Workspace } from '../../config/workspace.js';
import { FlowLifecycleError } from '../../persistence/flow-repository.js';
import { seenEventTypes } from '../../persistence/event-types.js';
import { knownEventsOf } from '../../runtime/declared-events.js';
import type { EngineRuntime } from '../../runtime/engine-runtime.js';
import { flowOverview, FlowNotFoundError, InvalidFlowError, flowFileVersionOnDisk, loadValidFlow, refuseIfFlowFileChanged, validFlowText } from '../../runtime/flow-files.js';
import { FlowFileChanged } from '../../core/flow/flow-file-version.js';
import { DraftStore } from '../../persistence/draft-store.js';
import { DraftRejected, FlowExists, stageFlowFiles, type StagedFlowFiles } from '../designer/flow-drafts.js';
import { CLOCK, WORKSPACE } from '../tokens.js';
import { ENGINE_RUNTIME } from './engine-runtime.provider.js';
import { JourneyTicker } from './journey-ticker.js';
import { AnotherPlannerPlans } from '../../runtime/planner-turn.js';
import type { Principal } from '../../core/access/roles.js';
import type { AuditLog } from '../../persistence/audit-log.js';
import { Allow } from '../auth/allow.decorator.js';
import { AUDIT } from '../auth/auth.tokens.js';
import { Caller } from '../auth/principal.decorator.js';

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
  ) {}

  @Get('flows')
  @Allow('analyst')
  list() {
    return flowOverview(this.workspace.rulesDir, this.runtime.flows);
  }

  @Post('flows/:id/publish')
  @Allow('marketer')
  @HttpCode(200)
  @DocumentedResponse(200, 'Without `flow`: publishes rules/flows/<id>.flow.yaml as it is on disk. With `flow` (and `layout`): checks it, publishes it, and only then writes it as rules/flows/<id>.flow.yaml and .layout.yaml. Answers `{flowId, version, hash, created, warnings}` (`created: false` when that text is already the published version)')
  @DocumentedResponse(404, 'No rules/flows/<id>.flow.yaml')
  @DocumentedResponse(409, '`code: file-changed`: with `flow`, rules/flows/<id>.flow.yaml changed since the version the drawing is based on (`ifFileVersion`, or the draft\'s); nothing was written or published. `code` absent: a new flow (`create`) whose file exists')
  @DocumentedResponse(422, 'The flow has problems (`problems` name file, line and node); nothing was written or published')
  async publish(@Param('id', { schema: FlowIdParam }) id: string, @Body({ schema: PublishBody }) body: z.infer<typeof PublishBody>, @Caller() caller: Principal) {
    let staged: StagedFlowFiles | null = null;
    try {
      // The events seen in the shop's log count as known, as in the designer's checks of the same flow.
      // Dates already past are warned about (date-checks.ts), never refused: a live flow whose start passed must republish.
      const now = this.clock.now();
      const seen = await seenEventTypes(this.ds);
      const dates = { now, timeZone: this.workspace.shop.timezone };
      const rulesDir = this.workspace.rulesDir;
      // A drawn flow is staged beside its files, never over them: a refused publish said "nothing was
      // saved or published", so rules/ (and git) must show no change.
      // A drawing replaces the whole file: one drawn from an older version of it (a developer
      // committed since) would silently undo that commit, so it is refused, naming both versions.
      if (body?.flow !== undefined) refuseIfFlowFileChanged(rulesDir, id, body.ifFileVersion ?? (await new DraftStore(this.ds).get(id))?.fileVersion ?? null);
      if (body?.flow !== undefined) staged = stageFlowFiles(rulesDir, id, body.flow, body.layout, { create: body.create, events: knownEventsOf(rulesDir, seen), dates });
      const { flow, warnings } = staged ? validFlowText(rulesDir, staged.text, `rules/flows/${id}.flow.yaml`, this.runtime.rules, seen, dates) : loadValidFlow(rulesDir, id, this.runtime.rules, seen, dates);
      // The author is the signed-in account, never what the client says.
      const { version, created, restarted } = await this.runtime.flows.publish(flow, caller.name, now);
      if (staged) {
        staged.commit();
        staged = null;
        await this.audit.record({ actor: caller.name, action: body.create ? 'flow-created' : 'flow-saved', target: `flow:${id}`, detail: { file: `rules/flows/${id}.flow.yaml`, problems: warnings.length } });
      }
      // Dated as the flow's own status change (the engine's clock): `explain` reads the flow's
      // status history from these entries (missed-entry-report.ts).
      if (created || restarted) await this.audit.record({ actor: caller.name, action: 'flow-published', target: `flow:${id}`, detail: { version: version.version, hash: version.hash, ...(restarted ? { restarted } : {}) }, at: now });
      // The file's version now (flow-file-version.ts): the designer's next draft and publish are based on it.
      return { flowId: id, version: version.version, hash: version.hash, created, warnings, fileVersion: flowFileVersionOnDisk(rulesDir, id) };
    } catch (e) {
      if (e instanceof FlowNotFoundError) throw new NotFoundException(e.message);
      if (e instanceof InvalidFlowError) throw new UnprocessableEntityException({ code: 'flow-has-problems', message: `rules/flows/${id}.flow.yaml has problems; fix them before publishing`, problems: e.problems });
      if (e instanceof FlowExists) throw new ConflictException(e.message);
      if (e instanceof FlowFileChanged) throw new ConflictException({ code: 'file-changed', message: e.message, ifFileVersion: e.basedOn, fileVersion: e.current });
      if (e instanceof DraftRejected) throw new UnprocessableEntityException({ code: 'flow-has-problems', message: e.message, problems: e.problems });
      throw e;
    } finally {
      staged?.discard();
    }
  }

  @Post('flows/:id/:action')
  @Allow('marketer')
  @HttpCode(200)
  async lifecycle(@Param('id', { schema: FlowIdParam }) id: string, @Param('action') action: string, @Caller() caller: Principal) {
    const now = this.clock.now();
    try {
      if (action === 'pause') await this.runtime.flows.pause(id, now);
      else if (action === 'resume') await this.runtime.flows.resume(id, now);
      else if (action === 'stop') {
        const exited = await this.runtime.flows.stop(id, now);
        await this.audit.record({ actor: caller.name, action: 'flow-stopped', target: `flow:${id}`, detail: { exited }, at: now });
        return { flowId: id, status: 'stopped', exited };
      } else throw new BadRequestException(`unknown action "${action}" (publish, pause, resume or stop)`);
    } catch (e) {
      if (e instanceof FlowLifecycleError) throw new ConflictException(e.message);
      throw e;
    }
    await this.audit.record({ actor: caller.name, action: action === 'pause' ? 'flow-paused' : 'flow-resumed', target: `flow:${id}`, at: now });
    return { flowId: id, status: action === 'pause' ? 'paused' : 'active' };
  }

  /** Runs due entries and steps now instead of waiting for the scheduler; 409 while another process plans the shop. */
  @Post('engine/tick')
  @Allow('admin')
  @DocumentedResponse(200, 'The tick: `{entries, steps}` — who entered which flow, and what was stepped and queued')
  @DocumentedResponse(409, 'PostgreSQL: another process (a server or `rekindle scheduler`, named) holds the shop\'s planner lease and plans it; nothing was ticked')
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
