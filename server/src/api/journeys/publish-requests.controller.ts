import { Body, ConflictException, Controller, ForbiddenException, Get, HttpCode, Inject, NotFoundException, Param, Post, Query } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import type { Clock } from '../../core/clock.js';
import { whyMayNotDecide, type PublishDecision } from '../../core/access/publish-approval.js';
import type { Principal } from '../../core/access/roles.js';
import type { AuditLog } from '../../persistence/audit-log.js';
import { DraftStore } from '../../persistence/draft-store.js';
import { canonicalJson } from '../../persistence/flow-repository.js';
import { PublishRequestStore, type PublishRequest } from '../../persistence/publish-requests.js';
import { Allow } from '../auth/allow.decorator.js';
import { AUDIT } from '../auth/auth.tokens.js';
import { Caller } from '../auth/principal.decorator.js';
import { DocumentedResponse } from '../openapi/documented-body.js';
import { CLOCK } from '../tokens.js';
import { FlowPublisher } from './flow-publisher.js';
import { publishRequestView } from './publish-request-view.js';
import { wholeNumberText } from '../validation/whole-number.js';
import { flowNameDetail } from '../../core/access/audit-flow-name.js';
import { STORED_INTEGER_MAX } from '../stored-integer.js';
import { RefusedOnASimulationCopy } from '../simulation-copy/nothing-runs-on-a-copy.js';

const RequestIdParam = wholeNumberText().describe(`the publish request's number (#12): a whole number, 1 to ${STORED_INTEGER_MAX}`);
const ListQuery = z.object({
  status: z.enum(['pending', 'approved', 'rejected', 'withdrawn', 'replaced', 'all']).default('pending').describe('which requests (default: those waiting for a decision)'),
  flow: z.string().max(64).optional().describe('one journey\'s requests'),
  limit: wholeNumberText(1, 500).default(100),
});
const ApproveBody = z.object({ note: z.string().max(2000, 'a note is at most 2,000 characters').optional() }).default({});
const RejectBody = z.object({ reason: z.string().trim().min(1, 'say why: the one who asked reads it').max(2000, 'a reason is at most 2,000 characters').describe('why it may not go live as it is (the one who asked reads it)') });

/**
 * Publish approval (rules/shop.yaml `approval: {publish: true}`): a journey asked to go live waits
 * here until an admin other than the one who asked approves it — then exactly what was asked is
 * published, with the checks of any publish — or rejects it with a reason. Who may decide is
 * core/access/publish-approval.ts; a decision is one conditional update, so it is taken once.
 */
@Controller()
export class PublishRequestsController {
  private readonly requests: PublishRequestStore;
  private readonly drafts: DraftStore;

  constructor(
    @Inject(DataSource) ds: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(AUDIT) private readonly audit: AuditLog,
    @Inject(FlowPublisher) private readonly publisher: FlowPublisher,
  ) {
    this.requests = new PublishRequestStore(ds);
    this.drafts = new DraftStore(ds);
  }

  @Get('publish-requests')
  @Allow('analyst')
  @DocumentedResponse(200, '`{approvalRequired, requests: [{id, flowId, summary, requestedBy, requestedAt, note, status, decidedBy, decidedAt, reason, version, fromFile}]}`, newest first')
  async list(@Query({ schema: ListQuery }) q: z.infer<typeof ListQuery>) {
    const requests = await this.requests.list({ status: q.status === 'all' ? undefined : q.status, flowId: q.flow, limit: q.limit });
    return { approvalRequired: this.publisher.approvalRequired, requests: requests.map(publishRequestView) };
  }

  @Get('publish-requests/:id')
  @Allow('analyst')
  @DocumentedResponse(200, 'The request with the journey as asked (`flow`, `layout`; null when the file on disk was asked for)')
  @DocumentedResponse(404, 'No such request')
  async get(@Param('id', { schema: RequestIdParam }) id: number) {
    const r = await this.found(id);
    return { ...publishRequestView(r), flow: r.flow, layout: r.layout };
  }

  @Post('publish-requests/:id/approve')
  @Allow('admin')
  @RefusedOnASimulationCopy('goes-live')
  @HttpCode(200)
  @DocumentedResponse(200, 'Published as asked: `{request, flowId, version, created, warnings, fileVersion}`')
  @DocumentedResponse(403, 'The caller asked for this publish (another admin must approve it), or is an API token')
  @DocumentedResponse(409, 'The request was already decided (`status`, by whom), or rules/flows/<id>.flow.yaml changed in git since it was asked (`code: file-changed`), or the database is a simulation\'s copy (`code: simulation-copy`), where nothing runs: nothing was published, the request stays pending')
  @DocumentedResponse(422, 'The journey has problems now (a segment or coupon it names is gone): nothing was published, the request stays pending')
  async approve(@Param('id', { schema: RequestIdParam }) id: number, @Body({ schema: ApproveBody }) body: z.infer<typeof ApproveBody>, @Caller() caller: Principal) {
    const r = await this.decidable(id, caller, 'approve');
    const now = this.clock.now();
    if (!(await this.requests.decide(id, 'approved', caller.name, now))) throw await this.decidedMeanwhile(id);
    let published;
    try {
      const input = r.flow === null ? { ifFileVersion: r.fileVersion } : { flow: r.flow, layout: r.layout ?? undefined, create: r.isNew, ifFileVersion: r.fileVersion };
      published = await this.publisher.publish(r.flowId, input, { actor: caller.name, requestedBy: r.requestedBy, requestId: r.id });
    } catch (e) {
      // Nothing went live: the request waits again (the one who asked fixes it and asks anew, or git is put back).
      await this.requests.reopen(id);
      throw e;
    }
    await this.requests.setVersion(id, published.version);
    await this.audit.record({ actor: caller.name, action: 'flow-publish-approved', target: `flow:${r.flowId}`, detail: { ...flowNameDetail(r.summary), request: id, requestedBy: r.requestedBy, version: published.version, ...(body.note ? { note: body.note } : {}) } });
    // The draft the request was made from is now what runs; a draft edited since is the next change, kept.
    const draft = r.flow === null ? null : await this.drafts.get(r.flowId);
    if (draft && canonicalJson(draft.flow) === canonicalJson(r.flow)) await this.drafts.delete(r.flowId);
    return { request: publishRequestView({ ...r, status: 'approved', decidedBy: caller.name, decidedAt: now, version: published.version }), ...published };
  }

  @Post('publish-requests/:id/reject')
  @Allow('admin')
  @HttpCode(200)
  @DocumentedResponse(200, 'Rejected: the request with `reason`; nothing was published')
  @DocumentedResponse(400, '`reason` is missing or empty')
  @DocumentedResponse(403, 'The caller asked for this publish (withdraw it instead), or is an API token')
  @DocumentedResponse(409, 'The request was already decided')
  async reject(@Param('id', { schema: RequestIdParam }) id: number, @Body({ schema: RejectBody }) body: z.infer<typeof RejectBody>, @Caller() caller: Principal) {
    return this.close(id, caller, 'reject', body.reason);
  }

  @Post('publish-requests/:id/withdraw')
  @Allow('marketer')
  @HttpCode(200)
  @DocumentedResponse(200, 'Withdrawn: nothing was published')
  @DocumentedResponse(403, 'Neither the one who asked nor an admin')
  @DocumentedResponse(409, 'The request was already decided')
  async withdraw(@Param('id', { schema: RequestIdParam }) id: number, @Caller() caller: Principal) {
    return this.close(id, caller, 'withdraw', null);
  }

  private async close(id: number, caller: Principal, decision: 'reject' | 'withdraw', reason: string | null) {
    const r = await this.decidable(id, caller, decision);
    const status = decision === 'reject' ? 'rejected' : 'withdrawn';
    const at = this.clock.now();
    if (!(await this.requests.decide(id, status, caller.name, at, reason))) throw await this.decidedMeanwhile(id);
    await this.audit.record({ actor: caller.name, action: decision === 'reject' ? 'flow-publish-rejected' : 'flow-publish-withdrawn', target: `flow:${r.flowId}`, detail: { ...flowNameDetail(r.summary), request: id, requestedBy: r.requestedBy, ...(reason ? { reason } : {}) } });
    return { request: publishRequestView({ ...r, status, decidedBy: caller.name, decidedAt: at, reason }) };
  }

  private async found(id: number): Promise<PublishRequest> {
    const r = await this.requests.get(id);
    if (!r) throw new NotFoundException(`no publish request #${id}`);
    return r;
  }

  private async decidable(id: number, caller: Principal, decision: PublishDecision): Promise<PublishRequest> {
    const r = await this.found(id);
    if (r.status !== 'pending') throw alreadyDecided(r);
    const why = whyMayNotDecide(caller, r.requestedBy, decision);
    if (why) throw new ForbiddenException({ code: 'not-your-decision', message: why });
    return r;
  }

  /** The conditional update found the request decided by someone else a moment ago: say who, as read now. */
  private async decidedMeanwhile(id: number) {
    return alreadyDecided((await this.requests.get(id))!);
  }
}

function alreadyDecided(r: PublishRequest) {
  return new ConflictException({ code: 'already-decided', message: `publish request #${r.id} is ${r.status}${r.decidedBy ? ` (by ${r.decidedBy})` : ''}, no longer waiting for a decision`, status: r.status, decidedBy: r.decidedBy });
}
