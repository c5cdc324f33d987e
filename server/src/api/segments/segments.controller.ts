import { BadRequestException, Body, ConflictException, Controller, Get, HttpCode, Inject, NotFoundException, Param, Post, Query, UnprocessableEntityException } from '@nestjs/common';
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
import { SegmentExistsError, segmentIdFromName, writeSegmentFile } from '../../core/rules/segment-writer.js';

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

  @Get()
  list() {
    const rules = this.rules();
    return {
      rules: rules.list().map((r) => ({
        name: r.name,
        title: r.title ?? null,
        description: r.description?.trim() ?? null,
        conditions: r.conditions,
        references: r.references.map((x) => x.name),
        facts: rules.factsRead(r.name),
        sql: rules.operatorsWithoutSql(r.name).length === 0,
      })),
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
