import { BadRequestException, Controller, Get, Header, Inject, NotFoundException, Param, Query, Res } from '@nestjs/common';
import { readRulesFile } from '../../core/text/rules-file-text.js';
import { ApiResponse, OptionalQuery } from '../openapi/deferred-swagger.js';
import { DataSource } from 'typeorm';
import { parse } from 'yaml';
import { z } from 'zod';
import type { Clock } from '../../core/clock.js';
import { STRATIFY_FACTS } from '../../core/experiment/schema.js';
import { parseResponseWindow } from '../../core/experiment/response-window.js';
import { responseEventsProblem } from '../../core/experiment/response-events.js';
import { knownEventsOf } from '../../runtime/declared-events.js';
import { seenEventTypes } from '../../persistence/event-types.js';
import type { Flow } from '../../core/flow/schema.js';
import type { Workspace } from '../../config/workspace.js';
import { responseByGroup } from '../../persistence/experiment-groups.js';
import { flowStepClicks, publishedSendStep, stepProductClicks } from '../../persistence/product-clicks.js';
import { DraftStore } from '../../persistence/draft-store.js';
import { flowFilePath, listFlowIds } from '../../runtime/flow-files.js';
import { flowIdToRead } from '../../runtime/simulated-flow.js';
import { ExperimentNotFoundError, experimentReport, findExperiment, reportCsv } from '../../persistence/experiment-store.js';
import { flowFunnel, funnelCsv, nodeLabels } from '../../persistence/flow-report.js';
import { queryRows } from '../../persistence/sql-batch.js';
import { experimentResponsesTime } from '../../persistence/report-time.js';
import { parseShopInstant } from '../../core/shop-instant.js';
import { futureAsOfProblem } from '../../core/experiment/future-as-of.js';
import { CLOCK, WORKSPACE } from '../tokens.js';
import { ReportResponseSchema } from './report-schema.js';
import { ProductClicksResponseSchema, StepClicksResponseSchema } from './product-clicks-schema.js';
import { Allow } from '../auth/allow.decorator.js';
import { reportFormat } from '../excel-flag.js';
import { PolicyFile } from '../../persistence/policy-file.js';

const Id = z.string().regex(/^[a-z0-9][a-z0-9-_]*$/, 'ids are lower-case letters, digits, "-" and "_"').max(64);
const GroupQuery = z.object({
  by: z.enum(STRATIFY_FACTS).default('lifecycleStage'),
  events: z.string().default('order_paid').describe('the event types that count as a response, comma-separated; each one the system records, rules/shop.yaml declares or the shop sends'),
  window: z.string().default('7d').describe('how long after the message a response counts, e.g. 7d, 48h'),
});
/**
 * The funnel counts every journey's log as it is now: it has no as-of instant, as `rekindle report
 * --funnel` refuses `--at`. `?at=` was taken without a word (a bad one too), so a funnel asked "as of
 * 1 November" answered today's figures as if they were that day's.
 */
const FunnelAt = z.undefined({ error: (issue) => `the funnel takes no as-of instant, got ${JSON.stringify(issue.input)}: it counts every journey up to now, so leave at out (GET /api/experiments/:id/report takes at=<ISO-8601 instant, e.g. 2026-11-01T00:00:00+08:00>)` });
const ProductsQuery = z.object({
  window: z.string().default('7d').describe('how long after the message (and after a click) an order counts, e.g. 7d, 48h'),
});

/** Experiment reports (JSON or CSV), per-node funnels of flows, response rates by group, and send steps' clicks against sales per product. */
@Controller()
@Allow('analyst')
export class ExperimentsController {
  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(WORKSPACE) private readonly workspace: Workspace,
  ) {}

  @Get('experiments/:id/report')
  @OptionalQuery('format', 'json (the default) or csv')
  @OptionalQuery('excel', 'with format=csv: 1 writes the Excel variant (byte order mark, Chinese headers, shop-time date-times, rates in percent, ids as text)')
  @OptionalQuery('at', 'the report as of this instant (ISO-8601); default now, or the flow\'s last step when later (a simulation ahead of today)')
  @ApiResponse({ status: 200, description: 'The report: JSON, or CSV with `?format=csv`', standardSchema: ReportResponseSchema })
  @ApiResponse({ status: 204, description: 'The experiment is drawn in a designer draft or a flow file but not published yet: nothing to report (no body)' })
  @ApiResponse({ status: 400, description: '`format` is neither json nor csv, `at` is not an ISO-8601 instant or is later than now (on a simulation\'s copy: its end), or `excel` is not 1/true/0/false or comes without format=csv' })
  @ApiResponse({ status: 404, description: 'No published flow, draft or flow file names this experiment (or flow id)' })
  async report(@Param('id', { schema: Id }) id: string, @Query('format') format: string | undefined, @Query('at') at: string | undefined, @Query('excel') excelParam: string | undefined, @Res({ passthrough: true }) res: { setHeader(k: string, v: string): void; status(code: number): unknown }) {
    try {
      const { csv, excel } = reportFormat(format, excelParam);
      let when: number | undefined;
      try {
        when = at ? parseShopInstant(at, 'at', this.workspace.shop.timezone) : undefined;
      } catch (e) {
        throw new BadRequestException((e as Error).message);
      }
      const { flow, node } = await findExperiment(this.ds, id);
      // As `rekindle report [--at]` reads it: without ?at=, a simulation ahead of today as of its last step.
      const latest = await experimentResponsesTime(this.ds, flow.id, this.clock.now());
      // An instant after that has not happened: today's figures stamped 2099 would read like a forecast.
      const future = when === undefined ? null : futureAsOfProblem(when, latest, 'at', this.workspace.shop.timezone);
      if (future) throw new BadRequestException(future);
      const r = await experimentReport(this.ds, flow.id, node, when ?? latest);
      if (!csv) return r;
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="${id}.csv"`);
      return reportCsv(r, { timezone: this.workspace.shop.timezone, excel });
    } catch (e) {
      if (e instanceof ExperimentNotFoundError) {
        // Drawn in a draft or a flow file but not published yet: nothing to report, and nothing wrong either
        // (the designer's panel says "publish or simulate" without an error in the console).
        if (await this.drawnNotPublished(id)) {
          res.status(204);
          return undefined;
        }
        throw new NotFoundException(e.message);
      }
      throw e;
    }
  }

  /** Drawn in a saved draft or in a flow file of rules/flows/ (never published, never edited). */
  private async drawnNotPublished(experimentId: string): Promise<boolean> {
    for (const d of await new DraftStore(this.ds).list()) if (drawsExperiment(d.flow, experimentId)) return true;
    for (const id of listFlowIds(this.workspace.rulesDir)) {
      let flow: unknown;
      try {
        flow = parse(readRulesFile(flowFilePath(this.workspace.rulesDir, id)));
      } catch {
        continue; // a broken file is validate's to report, not this lookup's
      }
      if (drawsExperiment(flow, experimentId)) return true;
    }
    return false;
  }

  @Get('flows/:id/funnel')
  @Header('Cache-Control', 'no-store')
  @OptionalQuery('format', 'json (the default) or csv: one row per node, the columns of `rekindle report <flow> --funnel --csv` (the last, `label`, the step\'s card name)')
  @OptionalQuery('excel', 'with format=csv: 1 writes the Excel variant (byte order mark, Chinese headers, rates in percent, ids as text)')
  @OptionalQuery('at', 'not taken: the funnel counts everything up to now (400 when given; the experiment report takes `at`)')
  @ApiResponse({ status: 400, description: '`format` is neither json nor csv, `excel` is not 1/true/0/false or comes without format=csv, or `at` is given (the funnel has no as-of instant)' })
  async funnel(@Param('id', { schema: Id }) id: string, @Query('format') format: string | undefined, @Query('excel') excelParam: string | undefined, @Query('at', { schema: FunnelAt }) _at: undefined, @Res({ passthrough: true }) res: { setHeader(k: string, v: string): void }) {
    const { csv, excel } = reportFormat(format, excelParam);
    // On a server opened on a simulation's copy the flow's figures are its simulation's
    // (`rekindle report <id> --funnel` reads them so): by the flow's own id, as the analyst knows it.
    const readId = await flowIdToRead(this.ds, id);
    const flow = await this.newestFlow(readId);
    const f = await flowFunnel(this.ds, readId, flow.nodes.map((n) => ({ id: n.id, type: n.type })));
    if (!csv) return f;
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${id}-funnel.csv"`);
    // The stored id (`<id>~simulated` on a copy), as the JSON, the CLI's CSV and the send log name the flow: the files join.
    return funnelCsv(f, { excel, timezone: this.workspace.shop.timezone, labels: nodeLabels(flow.nodes), listTitles: excel ? new PolicyFile(this.workspace.rulesDir).titledLists() : undefined });
  }

  @Get('flows/:id/nodes/:node/response-by-group')
  @ApiResponse({ status: 400, description: '`by` is not a fact to group by, `events` names an event type the shop neither records, declares nor sends (or none), or `window` is not a duration longer than zero (7d, 48h, 30m)' })
  @ApiResponse({ status: 404, description: 'The flow was never published, or has no send step of that id' })
  async byGroup(@Param('id', { schema: Id }) id: string, @Param('node', { schema: Id }) nodeId: string, @Query({ schema: GroupQuery }) q: z.infer<typeof GroupQuery>) {
    // On a simulation's copy, by the flow's own id and as of the simulation's last step, as the
    // funnel and the experiment report beside it read it: it answered 404 "never published" there
    // (and, asked by the simulated id, would have counted no response after today's clock).
    const readId = await flowIdToRead(this.ds, id);
    const flow = await this.newestFlow(readId);
    const node = flow.nodes.find((n) => n.id === nodeId);
    if (!node || node.type !== 'send') throw new NotFoundException(`flow ${id} has no send node "${nodeId}"`);
    const windowMs = windowParam(q.window);
    const events = await this.responseEvents(q.events);
    const now = await experimentResponsesTime(this.ds, readId, this.clock.now());
    return { flowId: id, nodeId, by: q.by, events, window: q.window, groups: await responseByGroup(this.ds, { flowId: readId, nodeId, by: q.by, events, windowMs, now }, this.workspace.shop) };
  }

  @Get('flows/:id/products')
  @Header('Cache-Control', 'no-store')
  @ApiResponse({ status: 200, description: "Every send step's clicks against sales, in the flow's order", standardSchema: StepClicksResponseSchema })
  @ApiResponse({ status: 400, description: '`window` is not a duration longer than zero (7d, 48h, 30m)' })
  @ApiResponse({ status: 404, description: 'The flow was never published' })
  async productsBySteps(@Param('id', { schema: Id }) id: string, @Query({ schema: ProductsQuery }) q: z.infer<typeof ProductsQuery>) {
    const windowMs = windowParam(q.window);
    // By the flow's own id on a simulation's copy, up to its customers' newest event, as the one step's report.
    const readId = await flowIdToRead(this.ds, id);
    const now = await experimentResponsesTime(this.ds, readId, this.clock.now());
    const steps = await flowStepClicks(this.ds, { flowId: readId, windowMs, now });
    if (!steps) throw new NotFoundException(`flow "${id}" was never published`);
    return { flowId: id, window: q.window, asOf: now, steps };
  }

  @Get('flows/:id/nodes/:node/products')
  @Header('Cache-Control', 'no-store')
  @ApiResponse({ status: 200, description: "The step's clicks against sales per product", standardSchema: ProductClicksResponseSchema })
  @ApiResponse({ status: 400, description: '`window` is not a duration longer than zero (7d, 48h, 30m)' })
  @ApiResponse({ status: 404, description: 'The flow was never published, or has no send step of that id' })
  async products(@Param('id', { schema: Id }) id: string, @Param('node', { schema: Id }) nodeId: string, @Query({ schema: ProductsQuery }) q: z.infer<typeof ProductsQuery>) {
    const windowMs = windowParam(q.window);
    // By the flow's own id on a simulation's copy, up to its customers' newest event (answers after the last message), as response-by-group reads it.
    const readId = await flowIdToRead(this.ds, id);
    const step = await publishedSendStep(this.ds, readId, nodeId);
    if (step === 'never-published') throw new NotFoundException(`flow "${id}" was never published`);
    if (step === 'no-send-step') throw new NotFoundException(`flow ${id} has no send node "${nodeId}"`);
    const now = await experimentResponsesTime(this.ds, readId, this.clock.now());
    return { flowId: id, nodeId, link: step.link, window: q.window, asOf: now, ...(await stepProductClicks(this.ds, { flowId: readId, nodeId, windowMs, now, link: step.link })) };
  }

  /**
   * The `events` query as a list, or a 400 naming the field and the unknown event. The system's and
   * the declared events first; the shop's log (a read of its newest events) only when a name is not
   * among them, as a shop may send its own events without declaring them.
   */
  private async responseEvents(text: string): Promise<string[]> {
    const events = [...new Set(text.split(',').map((s) => s.trim()).filter(Boolean))];
    let problem = responseEventsProblem(events, knownEventsOf(this.workspace.rulesDir).known());
    if (problem && events.length) problem = responseEventsProblem(events, knownEventsOf(this.workspace.rulesDir, await seenEventTypes(this.ds)).known());
    if (problem) throw new BadRequestException(`events: ${problem}`);
    return events;
  }

  private async newestFlow(id: string): Promise<Flow> {
    const [row] = await queryRows(this.ds, 'SELECT content FROM flow_versions WHERE flow_id = ? ORDER BY version DESC', [id]);
    if (!row) throw new NotFoundException(`flow "${id}" was never published`);
    return JSON.parse(String(row.content)) as Flow;
  }
}

/** A `window` query value in milliseconds, or a 400 naming the field. */
function windowParam(text: string): number {
  try {
    return parseResponseWindow(text);
  } catch (e) {
    throw new BadRequestException(`window: ${(e as Error).message}`);
  }
}

/** Whether a flow (as a draft or a file holds it, not yet validated) has a split running this experiment. */
function drawsExperiment(flow: unknown, experimentId: string): boolean {
  const nodes = (flow as { nodes?: unknown } | null)?.nodes;
  return Array.isArray(nodes) && nodes.some((n) => (n as { type?: unknown } | null)?.type === 'split' && (n as { experiment?: { id?: unknown } }).experiment?.id === experimentId);
}
