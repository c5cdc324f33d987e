import { BadRequestException, Body, ConflictException, Controller, ForbiddenException, Get, HttpCode, Inject, NotFoundException, Param, Post, Put, Query, UnprocessableEntityException } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import type { Clock } from '../../core/clock.js';
import { parseShopInstant } from '../../core/shop-instant.js';
import { RuleFileError } from '../../core/rules/rule-file.js';
import { RuleSet, SEGMENTS_SHOWN_AS, segmentsDir, UnknownRuleError } from '../../core/rules/rule-set.js';
import { NoSqlFormError } from '../../core/rules/sql-compiler.js';
import { PastFactsNeedEngineError, runSegment, type EvaluatorChoice } from '../../core/segment/segmenter.js';
import { describeZodError } from '../../core/data/model.js';
import type { Workspace } from '../../config/workspace.js';
import { SqlSegmentStore, type SqlReader } from '../../persistence/segment-store.js';
import { CLOCK, SQL_READER, WORKSPACE } from '../tokens.js';
import { Allow } from '../auth/allow.decorator.js';
import { OptionalQuery } from '../openapi/deferred-swagger.js';
import { DocumentedBody, DocumentedResponse } from '../openapi/documented-body.js';
import { AUDIT } from '../auth/auth.tokens.js';
import { actorName, Caller } from '../auth/principal.decorator.js';
import type { Principal } from '../../core/access/roles.js';
import type { AuditLog } from '../../persistence/audit-log.js';
import { rewriteSegmentFile, SegmentChangedError, SegmentExistsError, segmentFileOf, segmentIdFromName, SegmentNotFoundError, writeSegmentFile } from '../../core/rules/segment-writer.js';
import { segmentRevision } from '../../core/rules/segment-revision.js';
import { journeysUsingSegment, type JourneyUsingSegment } from '../../core/flow/journeys-using-segment.js';
import { editNeedsAdmin, whyMayNotEditLiveSegment } from '../../core/access/segment-edit-approval.js';
import { FlowRepository } from '../../persistence/flow-repository.js';
import { RefusedOnASimulationCopy } from '../simulation-copy/nothing-runs-on-a-copy.js';

const UpdateSchema = z.object({
  name: z.string().trim().min(1, 'give the audience a name').max(200).describe('the name in words (kept as the file\'s title, what the designer shows)'),
  conditions: z.unknown().describe('json-rules-engine conditions, as the rule builder makes them'),
  revision: z.string().min(1, 'give the revision you read (GET /api/segments `revision`)').max(64).describe('the `revision` of the segment as GET /api/segments gave it: the edit is refused (409) when the file changed since'),
});

const PreviewSchema = z.object({
  conditions: z.unknown().describe('json-rules-engine conditions, as the rule builder makes them'),
  at: z.string().optional().describe('evaluate at this instant (ISO 8601; without an offset, the shop\'s wall clock)'),
  evaluator: z.enum(['sql', 'engine']).optional(),
  ids: z.boolean().optional(),
  sample: z.number().int().min(0).max(1000).optional(),
});

const CreateSchema = z.object({
  name: z.string().trim().min(1, 'give the audience a name').max(200).describe('the name in words (kept as the file\'s title, what the designer shows)'),
  id: z.string().max(64).optional().describe('file name / rule id (default: derived from the name)'),
  conditions: z.unknown().describe('json-rules-engine conditions, as the rule builder makes them'),
});

/**
 * Segments for the designer and for scripts: the rules of `rules/segments/`, a rule's count at
 * an instant, and live counts of an inline rule while the marketer edits it. Rule files are read
 * per request (they are a few small files, edited in git), so an edit shows without a restart.
 */
@Controller('segments')
@Allow('analyst')
export class SegmentsController {
  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(WORKSPACE) private readonly workspace: Workspace,
    @Inject(AUDIT) private readonly audit: AuditLog,
    @Inject(SQL_READER) private readonly reader: SqlReader | null,
  ) {}

  /** Scans run in the SQL reader thread when there is one: a whole-shop count never holds other requests. */
  private store(): SqlSegmentStore {
    return new SqlSegmentStore(this.ds, undefined, this.reader);
  }

  private rules(): RuleSet {
    return guard(() => RuleSet.loadDir(segmentsDir(this.workspace.rulesDir), SEGMENTS_SHOWN_AS));
  }

  private options(at: string | undefined, evaluator: string | undefined, ids: boolean, sample: number | undefined) {
    if (evaluator !== undefined && evaluator !== 'sql' && evaluator !== 'engine') throw new BadRequestException(`evaluator: expected sql or engine, got "${evaluator}"`);
    return {
      at: guard(() => (at ? parseShopInstant(at, 'at', this.workspace.shop.timezone) : this.clock.now())),
      timezone: this.workspace.shop.timezone,
      lifecycle: this.workspace.shop.lifecycle,
      evaluator: evaluator as EvaluatorChoice | undefined,
      ids,
      sample,
      pastFacts: !!at,
    };
  }

  /** Journeys running or paused whose current version uses a segment (directly or through others). */
  private async liveJourneys(rules: RuleSet, name: string): Promise<JourneyUsingSegment[]> {
    return journeysUsingSegment(await new FlowRepository(this.ds).published(), rules, name);
  }

  @Get()
  @DocumentedResponse(200, '`{rules: [{name, title, description, conditions, references, facts, sql, revision, liveJourneys, editNeedsAdmin}], broken}`: `revision` is what PUT /api/segments/:name takes back; `liveJourneys` (`[{flowId, name, status, uses}]`) the running or paused journeys an edit would change; `editNeedsAdmin` true when publish approval is on and live journeys use it, so that PUT takes an admin')
  async list() {
    const rules = this.rules();
    const published = await new FlowRepository(this.ds).published();
    const dir = segmentsDir(this.workspace.rulesDir);
    const approval = this.workspace.shop.approval.publish;
    return {
      rules: rules.list().map((r) => {
        const liveJourneys = journeysUsingSegment(published, rules, r.name);
        return {
          name: r.name,
          title: r.title ?? null,
          description: r.description?.trim() ?? null,
          conditions: r.conditions,
          references: r.references.map((x) => x.name),
          facts: rules.factsRead(r.name),
          sql: rules.operatorsWithoutSql(r.name).length === 0,
          revision: revisionOf(join(dir, basename(r.source))),
          liveJourneys,
          editNeedsAdmin: editNeedsAdmin(approval, liveJourneys),
        };
      }),
      // Segments that cannot be used (their file, or one they use, has a mistake): listed apart with the cause, never hiding the others.
      broken: rules.unusable().map((u) => ({ name: u.name, file: u.source, cause: u.cause, problems: u.problems })),
    };
  }

  @Get(':name/count')
  @OptionalQuery('at', 'count at this instant (ISO-8601; a date or local time is in the shop\'s time zone); default now')
  @OptionalQuery('evaluator', 'sql or engine: force the compiled SQL or json-rules-engine per customer')
  @OptionalQuery('ids', 'true: list every matching customer id')
  @OptionalQuery('sample', 'how many sample customers to show (0 to 1000)')
  async count(@Param('name') name: string, @Query('at') at?: string, @Query('evaluator') evaluator?: string, @Query('ids') ids?: string, @Query('sample') sample?: string) {
    const rules = this.rules();
    // A segment whose file (or one it uses) has a mistake: 400 naming that file, not "unknown rule".
    if (rules.brokenCause(name)) guard(() => rules.require(name));
    if (!rules.get(name)) throw new NotFoundException(`unknown rule "${name}"`);
    const n = sample === undefined ? undefined : Number(sample);
    if (n !== undefined && (!Number.isInteger(n) || n < 0 || n > 1000)) throw new BadRequestException(`sample: expected a whole number up to 1000, got "${sample}"`);
    const opts = this.options(at, evaluator, ids === 'true' || ids === '1', n);
    return guardAsync(() => runSegment(this.store(), rules, name, opts));
  }

  /**
   * Saves an audience built in the designer as a new segment file (rules/segments/<id>.yaml):
   * 409 when that segment exists (never overwritten), 422 naming the field when the rule is wrong.
   */
  @Post()
  @Allow('marketer')
  @HttpCode(201)
  @DocumentedBody(CreateSchema, 'The audience to save as rules/segments/<id>.yaml')
  @DocumentedResponse(201, '`{id, name, file, yaml, conditions}` of the saved segment')
  @DocumentedResponse(409, 'A segment with that id exists (never overwritten)')
  @DocumentedResponse(422, 'The name or the rule is wrong: the message (and `problems`) name the field')
  async create(@Body() body: unknown, @Caller() caller: Principal | null) {
    const parsed = CreateSchema.safeParse(body);
    if (!parsed.success) throw new UnprocessableEntityException(describeZodError(parsed.error).map((i) => `${i.field}: ${i.message}`).join('; '));
    const id = parsed.data.id?.trim() || segmentIdFromName(parsed.data.name, this.clock.now(), this.workspace.shop.timezone, segmentsDir(this.workspace.rulesDir));
    let saved;
    try {
      saved = writeSegmentFile(segmentsDir(this.workspace.rulesDir), { name: id, title: parsed.data.name, conditions: parsed.data.conditions });
    } catch (e) {
      if (e instanceof SegmentExistsError) throw new ConflictException({ statusCode: 409, code: 'segment-exists', id: e.id, message: e.message });
      if (e instanceof RuleFileError) throw new UnprocessableEntityException({ statusCode: 422, message: e.message, problems: e.problems });
      throw e;
    }
    await this.audit.record({ actor: actorName(caller), action: 'segment-created', target: `rules/segments/${id}.yaml`, detail: { name: parsed.data.name, text: saved.text } });
    return { id, name: parsed.data.name, file: `rules/segments/${id}.yaml`, yaml: saved.text, conditions: saved.rule.conditions };
  }

  /**
   * Changes a saved segment in place (rules/segments/<name>.yaml): its title and rule. Refused with
   * 409 when the file changed since the editor read it (`revision`), so two people editing at once
   * never silently undo each other; 422 naming the field, as a new segment; written whole or not at
   * all. Journeys running on it change from their next run, without a publish: the answer names
   * them (`liveJourneys`), and with publish approval on only an admin may change a segment they use.
   */
  @Put(':name')
  @Allow('marketer')
  @RefusedOnASimulationCopy('shop-files')
  @DocumentedBody(UpdateSchema, 'The new title and rule of rules/segments/<name>.yaml, with the revision read')
  @DocumentedResponse(200, '`{id, name, file, yaml, conditions, revision, changed, liveJourneys: [{flowId, name, status, uses}]}`: the running or paused journeys that select by it from their next run (`uses`: `entry`, who enters; `branch`, which way customers go)')
  @DocumentedResponse(403, 'Publish approval is on and live journeys use the segment: only an admin may change it (the message says why)')
  @DocumentedResponse(404, 'No such segment')
  @DocumentedResponse(409, '`code: segment-changed`: the file changed since `revision` (its `revision` now is given); `code: simulation-copy` (`refused: shop-files`): the database is a simulation\'s copy, whose rules/ is the shop\'s own. Nothing was written')
  @DocumentedResponse(422, 'The name or the rule is wrong: the message (and `problems`) name the field; nothing was written')
  async update(@Param('name') id: string, @Body() body: unknown, @Caller() caller: Principal) {
    const parsed = UpdateSchema.safeParse(body);
    if (!parsed.success) throw new UnprocessableEntityException(describeZodError(parsed.error).map((i) => `${i.field}: ${i.message}`).join('; '));
    const dir = segmentsDir(this.workspace.rulesDir);
    if (!segmentFileOf(dir, id)) throw new NotFoundException(`unknown segment "${id}" (no rules/segments/${id}.yaml)`);
    const live = await this.liveJourneys(this.rules(), id);
    const refusal = whyMayNotEditLiveSegment(caller, this.workspace.shop.approval.publish, live);
    if (refusal) throw new ForbiddenException({ statusCode: 403, code: 'segment-edit-needs-admin', message: refusal, liveJourneys: live });
    let saved;
    try {
      saved = rewriteSegmentFile(dir, { name: id, title: parsed.data.name, conditions: parsed.data.conditions, revision: parsed.data.revision });
    } catch (e) {
      if (e instanceof SegmentNotFoundError) throw new NotFoundException(e.message);
      if (e instanceof SegmentChangedError) throw new ConflictException({ statusCode: 409, code: 'segment-changed', id: e.id, revision: e.revision, message: e.message });
      if (e instanceof RuleFileError) throw new UnprocessableEntityException({ statusCode: 422, message: e.message, problems: e.problems });
      throw e;
    }
    const file = `rules/segments/${basename(saved.file)}`;
    if (saved.changed) {
      await this.audit.record({
        actor: actorName(caller),
        action: 'segment-changed',
        target: file,
        detail: { name: parsed.data.name, ...(live.length ? { liveJourneys: live.map((j) => j.flowId) } : {}), before: saved.before, after: saved.text },
      });
    }
    return { id, name: parsed.data.name, file, yaml: saved.text, conditions: saved.rule.conditions, revision: segmentRevision(saved.text), changed: saved.changed, liveJourneys: live };
  }

  @Post('preview')
  @HttpCode(200)
  @DocumentedBody(PreviewSchema, 'An inline rule to count while it is edited (not saved)')
  @DocumentedResponse(200, '`{at, evaluator, count, sample, ids?}` as the count of a saved rule, `rule: null`')
  @DocumentedResponse(400, 'The body or the rule is wrong: the message names the field')
  async preview(@Body() body: unknown) {
    const parsed = PreviewSchema.safeParse(body);
    if (!parsed.success) throw new BadRequestException(describeZodError(parsed.error).map((i) => `${i.field}: ${i.message}`).join('; '));
    const { set, name } = guard(() => this.rules().inline(parsed.data.conditions));
    const opts = this.options(parsed.data.at, parsed.data.evaluator, !!parsed.data.ids, parsed.data.sample);
    const result = await guardAsync(() => runSegment(this.store(), set, name, opts));
    return { ...result, rule: null };
  }
}

/** The revision of a segment file as it is on disk now (null when it went between the listing and the read). */
function revisionOf(file: string): string | null {
  try {
    return segmentRevision(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

/** Bad rules and bad input are the client's to fix: 400 with the place named. */
function toHttp(e: unknown): unknown {
  if (e instanceof RuleFileError) return new BadRequestException({ statusCode: 400, message: e.message, problems: e.problems });
  if (e instanceof UnknownRuleError) return new NotFoundException(e.message);
  if (e instanceof NoSqlFormError || e instanceof PastFactsNeedEngineError) return new BadRequestException(e.message);
  if (e instanceof Error && /is not an ISO-8601/.test(e.message)) return new BadRequestException(e.message);
  return e;
}
function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw toHttp(e);
  }
}
async function guardAsync<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw toHttp(e);
  }
}
