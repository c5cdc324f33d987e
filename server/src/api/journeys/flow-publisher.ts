import { ConflictException, Inject, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Clock } from '../../core/clock.js';
import type { Workspace } from '../../config/workspace.js';
import type { Flow } from '../../core/flow/schema.js';
import type { FlowProblem } from '../../core/flow/problems.js';
import { FlowFileChanged } from '../../core/flow/flow-file-version.js';
import { flowNameDetail } from '../../core/access/audit-flow-name.js';
import { seenEventTypes } from '../../persistence/event-types.js';
import { DraftStore } from '../../persistence/draft-store.js';
import type { AuditLog } from '../../persistence/audit-log.js';
import { knownEventsOf } from '../../runtime/declared-events.js';
import type { EngineRuntime } from '../../runtime/engine-runtime.js';
import { FlowNotFoundError, InvalidFlowError, flowFileVersionOnDisk, loadValidFlow, refuseIfFlowFileChanged, validFlowText } from '../../runtime/flow-files.js';
import { DraftRejected, FlowExists, stageFlowFiles, type StagedFlowFiles } from '../designer/flow-drafts.js';
import { AUDIT } from '../auth/auth.tokens.js';
import { CLOCK, WORKSPACE } from '../tokens.js';
import { ENGINE_RUNTIME } from './engine-runtime.provider.js';
import { refuseIfDraftChanged } from './draft-changed.js';

/** What is asked to go live: the journey as drawn (and its layout), or without `flow` the file on disk. */
export interface PublishInput {
  flow?: unknown;
  layout?: unknown;
  /** A new journey: refused when its file exists. */
  create?: boolean;
  /** The flow file's version the drawing (or the request) is based on; null/undefined: the draft's. */
  ifFileVersion?: string | null;
  /** With `flow`: the draft revision the drawing was saved as (null: none); another one now is refused (DraftChanged). Undefined: not checked. */
  ifDraftRevision?: number | null;
}

/** Who publishes, and on whose request (publish approval: the approver publishes what the requester asked). */
export interface Publisher {
  actor: string;
  requestedBy?: string;
  requestId?: number;
}

/**
 * Publishing a journey, for the publish route and for an approved publish request: the same checks,
 * the same order (checked, published, and only then written as rules/flows/<id>.flow.yaml), the
 * same audit entries. A refusal leaves rules/ and the published versions as they were.
 */
@Injectable()
export class FlowPublisher {
  constructor(
    @Inject(ENGINE_RUNTIME) private readonly runtime: EngineRuntime,
    @Inject(WORKSPACE) private readonly workspace: Workspace,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(AUDIT) private readonly audit: AuditLog,
    @Inject(DataSource) private readonly ds: DataSource,
  ) {}

  /** Whether a publish must be approved first (rules/shop.yaml `approval.publish`). */
  get approvalRequired(): boolean {
    return this.workspace.shop.approval.publish;
  }

  /**
   * Every check of a publish, nothing written or published: the journey checked as it would go live
   * and the file version it is based on (kept with a publish request, so the approval can tell
   * whether git moved the file on since).
   */
  async check(id: string, input: PublishInput): Promise<{ flow: Flow; warnings: FlowProblem[]; fileVersion: string }> {
    const { flow, warnings, staged } = await this.checked(id, input);
    staged?.discard();
    return { flow, warnings, fileVersion: flowFileVersionOnDisk(this.workspace.rulesDir, id) };
  }

  async publish(id: string, input: PublishInput, by: Publisher) {
    const { flow, warnings, staged, now } = await this.checked(id, input);
    try {
      // The author is the signed-in account (or the one who asked, when an approver publishes), never what the client says.
      const { version, created, restarted } = await this.runtime.flows.publish(flow, by.requestedBy ?? by.actor, now);
      if (staged) {
        staged.commit();
        await this.audit.record({ actor: by.actor, action: input.create ? 'flow-created' : 'flow-saved', target: `flow:${id}`, detail: { ...flowNameDetail(flow), file: `rules/flows/${id}.flow.yaml`, problems: warnings.length } });
      }
      const approval = by.requestId === undefined ? {} : { requestedBy: by.requestedBy, request: by.requestId };
      // Dated as the flow's own status change (the engine's clock): `explain` reads the flow's
      // status history from these entries (missed-entry-report.ts).
      if (created || restarted) await this.audit.record({ actor: by.actor, action: 'flow-published', target: `flow:${id}`, detail: { ...flowNameDetail(flow), version: version.version, hash: version.hash, ...(restarted ? { restarted } : {}), ...approval }, at: now });
      // The file's version now (flow-file-version.ts): the designer's next draft and publish are based on it.
      return { flowId: id, version: version.version, hash: version.hash, created, warnings, fileVersion: flowFileVersionOnDisk(this.workspace.rulesDir, id) };
    } catch (e) {
      throw publishRefusal(e, id);
    } finally {
      // A publish refused by the store leaves rules/ untouched; after the commit this removes nothing.
      staged?.discard();
    }
  }

  /** The checks, with a drawn flow staged beside its files (the caller commits or discards it). */
  private async checked(id: string, input: PublishInput): Promise<{ flow: Flow; warnings: FlowProblem[]; staged: StagedFlowFiles | null; now: number }> {
    let staged: StagedFlowFiles | null = null;
    try {
      // The events seen in the shop's log count as known, as in the designer's checks of the same flow.
      // Dates already past are warned about (date-checks.ts), never refused: a live flow whose start passed must republish.
      const now = this.clock.now();
      const seen = await seenEventTypes(this.ds);
      const dates = { now, timeZone: this.workspace.shop.timezone };
      const rulesDir = this.workspace.rulesDir;
      // A drawing replaces the whole file: one drawn from an older version of it (a developer
      // committed since) would silently undo that commit, so it is refused, naming both versions.
      if (input.flow !== undefined) {
        const draft = await new DraftStore(this.ds).get(id);
        // A tab's drawing published over a draft saved since from elsewhere would drop that edit unseen.
        refuseIfDraftChanged(id, input.ifDraftRevision, draft);
        refuseIfFlowFileChanged(rulesDir, id, input.ifFileVersion ?? draft?.fileVersion ?? null);
      } else if (input.ifFileVersion) refuseIfFlowFileChanged(rulesDir, id, input.ifFileVersion);
      // A drawn flow is staged beside its files, never over them: a refused publish said "nothing was
      // saved or published", so rules/ (and git) must show no change.
      if (input.flow !== undefined) staged = stageFlowFiles(rulesDir, id, input.flow, input.layout, { create: input.create, events: knownEventsOf(rulesDir, seen), dates });
      const { flow, warnings } = staged ? validFlowText(rulesDir, staged.text, `rules/flows/${id}.flow.yaml`, this.runtime.rules, seen, dates) : loadValidFlow(rulesDir, id, this.runtime.rules, seen, dates);
      return { flow, warnings, staged, now };
    } catch (e) {
      staged?.discard();
      throw publishRefusal(e, id);
    }
  }
}

/** A publish refused, in HTTP terms: the same answers whether the marketer publishes or an admin approves. */
function publishRefusal(e: unknown, id: string): unknown {
  if (e instanceof FlowNotFoundError) return new NotFoundException(e.message);
  if (e instanceof InvalidFlowError) return new UnprocessableEntityException({ code: 'flow-has-problems', message: `rules/flows/${id}.flow.yaml has problems; fix them before publishing`, problems: e.problems });
  if (e instanceof FlowExists) return new ConflictException(e.message);
  if (e instanceof FlowFileChanged) return new ConflictException({ code: 'file-changed', message: e.message, ifFileVersion: e.basedOn, fileVersion: e.current });
  if (e instanceof DraftRejected) return new UnprocessableEntityException({ code: 'flow-has-problems', message: e.message, problems: e.problems });
  return e;
}
