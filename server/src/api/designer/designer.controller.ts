import { BadRequestException, Body, ConflictException, Controller, Delete, Get, HttpCode, Inject, NotFoundException, Param, Post, Put, UnprocessableEntityException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { VirtualClock, type Clock } from '../../core/clock.js';
import { parseShopInstant } from '../../core/shop-instant.js';
import { DEFAULT_SIMULATED_RATES } from '../../core/channels/simulated-delivery.js';
import { simulate, SimulationCancelled } from '../../core/engine/simulation.js';
import { parseDuration } from '../../core/flow/duration.js';
import { SCHEMA_FILES } from '../../core/flow/json-schema.js';
import type { Flow } from '../../core/flow/schema.js';
import type { RuleSet } from '../../core/rules/rule-set.js';
import type { EventCatalog } from '../../core/flow/event-checks.js';
import { knownEventsOf } from '../../runtime/declared-events.js';
import { hasErrors } from '../../core/flow/validate-flow.js';
import { seenEventTypes } from '../../persistence/event-types.js';
import type { Workspace } from '../../config/workspace.js';
import { openDatabase } from '../../persistence/data-source.js';
import { createPrivateFile } from '../../persistence/private-files.js';
import { StoredEventReplay } from '../../persistence/event-replay.js';
import { widenWalForSimulation } from '../../persistence/simulation-wal.js';
import { simulatedDeliveryEachTick } from '../../persistence/simulated-delivery.js';
import { bringShopForward } from '../../persistence/simulated-gap.js';
import { simulatedExperiments } from '../../persistence/simulated-experiments.js';
import { journeyIncrementalEffect } from '../../core/experiment/incremental-effect.js';
import { flowFunnel, flowRunReport } from '../../persistence/flow-report.js';
import { createEngineRuntime } from '../../runtime/engine-runtime.js';
import { figuresToRead, publishSimulatedFlow } from '../../runtime/simulated-flow.js';
import { markSimulationCopy } from '../../persistence/simulation-copy-mark.js';
import { FlowNotFoundError, InvalidFlowError, listFlowIds, loadValidFlow } from '../../runtime/flow-files.js';
import { CLOCK, WORKSPACE } from '../tokens.js';
import type { ChannelsConfig } from '../../core/channels/config.js';
import { CHANNELS_CONFIG } from '../channels/channels.tokens.js';
import { MAX_SIMULATION_TICKS, SimulationRuns } from './simulation-runs.js';
import type { FlowDates } from '../../core/flow/date-checks.js';
import { nextRunOf } from './next-run.js';
import { movedAway } from './moved-flow.js';
import { FlowRepository } from '../../persistence/flow-repository.js';
import { checkDraft, DraftRejected, FlowExists, readFlowFile, writeFlowFiles } from './flow-drafts.js';
import type { Principal } from '../../core/access/roles.js';
import { flowNameDetail } from '../../core/access/audit-flow-name.js';
import type { AuditLog } from '../../persistence/audit-log.js';
import { Allow } from '../auth/allow.decorator.js';
import { AUDIT } from '../auth/auth.tokens.js';
import { Caller } from '../auth/principal.decorator.js';

const FlowIdParam = z.string().max(64, 'flow ids are at most 64 characters').regex(/^[a-z0-9][a-z0-9-]*$/, 'flow ids are lower-case letters, digits and "-"');
// The pipe's messages name no field: they say it themselves. A flow's YAML text sent as the body
// (text/plain) arrives as no body at all; "expected object, received undefined" said nothing useful.
// The pipe puts the field's path before a field's message itself ("flow: …"); a body that is no
// object at all has no path, so that message names the field.
const FLOW_REQUIRED_WHAT = 'required (a JSON object {"flow": {"id", "name", "nodes": […]}} sent as application/json; the YAML text of a flow file is checked by `rekindle validate`)';
const FLOW_REQUIRED = `flow: ${FLOW_REQUIRED_WHAT}`;
const flowField = () => z.unknown().refine((v) => v !== undefined, { error: FLOW_REQUIRED_WHAT });
const ValidateBody = z.object(
  // Any value of flow is checked (a malformed draft gets its problems, 200); only a missing one is refused.
  { flow: flowField().describe('the journey as the designer draws it (the flow file as JSON)') },
  { error: FLOW_REQUIRED },
);
const SaveBody = z.object({ flow: flowField(), layout: z.unknown().optional(), create: z.boolean().optional().describe('a new flow: refuse (409) when the file exists') }, { error: FLOW_REQUIRED });
const SimulateBody = z
  .object({
    from: z.string().optional().describe('virtual start; default: `entering` (else `days`) days before now, so the last days of the shop are replayed'),
    days: z.number().positive().max(90).default(7),
    entering: z.number().positive().max(90).optional().describe('without `from`: replay the shop\'s last `entering` days and go on for the rest of `days` past now, so the customers who entered last finish their journey (their conversions after the last message are counted); no one enters after those days (a daily audience does not run on); at most `days`'),
    step: z.string().default('1h'),
    flow: z.unknown().optional().describe('an unsaved draft to simulate instead of the file'),
    delivery: z.boolean().default(true).describe('a seeded simulated channel delivers and answers messages (the default rates of `rekindle simulate`), so response branches fire and clicks lead to paid orders (with the message coupon or without one, see docs/engine.md), which reach goals and experiment revenue; false leaves messages queued'),
  })
  .default({ days: 7, step: '1h', delivery: true });
const DAY = 86_400_000;

/**
 * What the designer needs beyond the flows API: flow files with their layout and problems,
 * saving in canonical form, live validation, per-node counts, simulation on a copy of the shop,
 * and the template gallery.
 */
@Controller()
@Allow('analyst')
export class DesignerController {
  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(WORKSPACE) private readonly workspace: Workspace,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(AUDIT) private readonly audit: AuditLog,
    @Inject(SimulationRuns) private readonly runs: SimulationRuns,
    @Inject(CHANNELS_CONFIG) private readonly channelsConfig: ChannelsConfig,
  ) {}

  /** The events a flow may name without a warning: the system's, those rules/shop.yaml declares and those in the shop's log. */
  private async knownEvents(): Promise<EventCatalog> {
    return knownEventsOf(this.workspace.rulesDir, await seenEventTypes(this.ds));
  }

  /** Now and the shop's zone: a start or wait date already past is warned about (date-checks.ts). */
  private dates(): FlowDates {
    return { now: this.clock.now(), timeZone: this.workspace.shop.timezone };
  }

  /** The flow JSON Schema, generated from zod like rules/schema/flow.schema.json (so never stale): the inspector's forms. */
  @Get('flows/schema')
  schema() {
    return SCHEMA_FILES['flow.schema.json']();
  }

  @Get('templates')
  templates() {
    const rulesDir = this.workspace.rulesDir;
    return {
      templates: listFlowIds(rulesDir).flatMap((id) => {
        const view = readFlowFile(rulesDir, id);
        const flow = view?.flow as Partial<Flow> | null;
        if (!flow || !Array.isArray(flow.nodes)) return [];
        return [{ id, name: flow.name ?? id, description: flow.description ?? null, nodes: flow.nodes.length, types: [...new Set(flow.nodes.map((n) => n.type))] }];
      }),
    };
  }

  @Post('flows/validate')
  @HttpCode(200)
  async validate(@Body({ schema: ValidateBody }) body: z.infer<typeof ValidateBody>) {
    const { problems, text } = checkDraft(body.flow, this.workspace.rulesDir, await this.knownEvents(), this.dates());
    return { problems, text };
  }

  @Get('flows/:id/file')
  async file(@Param('id', { schema: FlowIdParam }) id: string) {
    const view = readFlowFile(this.workspace.rulesDir, id, await this.knownEvents(), this.dates());
    if (!view) {
      // An old link to a journey whose id changed at its first publish: where it went (model/missing-flow.ts in the designer).
      const movedTo = await movedAway(this.ds, this.audit, this.workspace.rulesDir, id);
      const message = `no flow file rules/flows/${id}.flow.yaml`;
      throw new NotFoundException(movedTo ? { message: `${message}; the journey was renamed "${movedTo.flowId}" at its first publish`, movedTo } : message);
    }
    return view;
  }

  @Put('flows/:id/file')
  @Allow('marketer')
  async save(@Param('id', { schema: FlowIdParam }) id: string, @Body({ schema: SaveBody }) body: z.infer<typeof SaveBody>, @Caller() caller: Principal) {
    try {
      const { problems } = writeFlowFiles(this.workspace.rulesDir, id, body.flow, body.layout, { create: body.create, events: await this.knownEvents(), dates: this.dates() });
      await this.audit.record({ actor: caller.name, action: body.create ? 'flow-created' : 'flow-saved', target: `flow:${id}`, detail: { ...flowNameDetail(body.flow), file: `rules/flows/${id}.flow.yaml`, problems: problems.length } });
      return { id, saved: true, problems };
    } catch (e) {
      if (e instanceof FlowExists) throw new ConflictException(e.message);
      if (e instanceof DraftRejected) throw new UnprocessableEntityException({ code: 'flow-has-problems', message: e.message, problems: e.problems });
      throw e;
    }
  }

  /**
   * Per-node outcomes (journey log) and the funnel (entered, waiting, sent, blocked by reason,
   * responded…), and the next run of a flow entered on a schedule (`nextRun`, null otherwise): a
   * daily journey just published shows 0 until then, and says when that is and what it does.
   * On a server opened on a simulation's copy the figures are the simulation's, by the flow's own
   * id (its funnel, sends and A/B report read them so; runtime/simulated-flow.ts), and
   * `simulatedAt` says up to when, as the journeys home's 模拟数据，截至 … (null: live figures).
   */
  @Get('flows/:id/counts')
  async counts(@Param('id', { schema: FlowIdParam }) id: string) {
    const { readId, simulatedAt } = await figuresToRead(this.ds, id, this.clock.now());
    const published = await new FlowRepository(this.ds).published();
    // The steps of what ran: the simulated version on a copy (the file may have moved on since), else the file's.
    const simulated = readId === id ? undefined : published.find((p) => p.flowId === readId);
    const nodes = nodeList(simulated ? simulated.version.flow : readFlowFile(this.workspace.rulesDir, id)?.flow);
    const report = await flowRunReport(this.ds, readId);
    return { ...report, funnel: (await flowFunnel(this.ds, readId, nodes)).nodes, nextRun: nextRunOf(published.find((p) => p.flowId === id), this.workspace.shop.timezone), simulatedAt };
  }

  /**
   * Runs the flow like `rekindle simulate` over the shop's stored events, on a COPY of the
   * SQLite database (VACUUM INTO a temp file), so the live shop gets no journeys or sends.
   */
  @Post('flows/:id/simulate')
  @Allow('marketer')
  @HttpCode(200)
  async simulate(@Param('id', { schema: FlowIdParam }) id: string, @Body({ schema: SimulateBody }) body: z.infer<typeof SimulateBody>, @Caller() caller: Principal) {
    if (this.ds.options.type !== 'better-sqlite3') {
      throw new UnprocessableEntityException('simulation from the designer copies the SQLite shop; on PostgreSQL run `rekindle simulate` against a copy of the database');
    }
    let step: number;
    let from: number;
    try {
      step = parseDuration(body.step);
      if (body.entering !== undefined && body.entering > body.days) throw new Error(`entering: ${body.entering} day(s) of entries do not fit in a run of ${body.days} day(s)`);
      from = body.from ? parseShopInstant(body.from, 'from', this.workspace.shop.timezone) : this.clock.now() - (body.entering ?? body.days) * DAY;
    } catch (e) {
      throw new BadRequestException((e as Error).message);
    }
    const ticks = Math.floor((body.days * DAY) / step) + 1;
    if (ticks > MAX_SIMULATION_TICKS) {
      throw new BadRequestException(`step: ${body.days} day(s) at a ${body.step} step is ${ticks.toLocaleString('en')} ticks; at most ${MAX_SIMULATION_TICKS.toLocaleString('en')} — use a step of at least ${Math.ceil((body.days * DAY) / (MAX_SIMULATION_TICKS - 1) / 60_000)} minutes or fewer days`);
    }
    const run = this.runs.begin(id, caller.name);
    const copy = run.copy;
    let sim: DataSource | null = null;
    try {
      // The copy holds the shop's customers: 0600 like the shop's file (VACUUM INTO keeps an empty file's mode).
      createPrivateFile(copy);
      await this.ds.query('VACUUM INTO ?', [copy]);
      sim = await openDatabase({ url: copy });
      // Marked before anything runs in it: should the temp file outlive the request (a crash), a
      // server opened on it sends nothing and moves no journey (runtime/simulation-copy-hold.ts).
      await markSimulationCopy(sim, { flowId: id, from, to: from + body.days * DAY }, this.clock.now());
      // The copy is the simulation's alone: longer WAL spans (simulation-wal.ts).
      await widenWalForSimulation(sim);
      // A start after the shop's data ends (next autumn's campaign on today's shop): the copy lives
      // until then, so the groups for active and silent customers are not empty (simulated-gap.ts).
      const gap = await bringShopForward(sim, DEFAULT_SIMULATED_RATES, from, this.workspace.shop.timezone, this.clock.now());
      const clock = new VirtualClock(from);
      // The simulated messages read as the shop's would: with the server's public base URL in their links.
      const rt = createEngineRuntime(sim, this.workspace, clock, { publicBaseUrl: this.channelsConfig.publicBaseUrl });
      let flow: Flow;
      if (body.flow !== undefined) {
        const checked = checkDraft(body.flow, this.workspace.rulesDir, await this.knownEvents());
        if (!checked.flow || hasErrors(checked.problems)) throw new UnprocessableEntityException({ message: 'the draft has problems; fix them before simulating', problems: checked.problems });
        if (checked.flow.id !== id) throw new BadRequestException(`flow id "${checked.flow.id}" does not match "${id}"`);
        flow = checked.flow;
      } else {
        try {
          ({ flow } = loadValidFlow(this.workspace.rulesDir, id, rt.rules, await seenEventTypes(this.ds)));
        } catch (e) {
          if (e instanceof FlowNotFoundError) throw new NotFoundException(e.message);
          if (e instanceof InvalidFlowError) throw new UnprocessableEntityException({ message: `rules/flows/${id}.flow.yaml has problems; fix them before simulating`, problems: e.problems });
          throw e;
        }
      }
      // The draft runs under an id of its own in the copy (runtime/simulated-flow.ts): a one-off
      // audience the live flow already ran enters again as if fresh, and every figure below (report,
      // funnel, delivery, experiments) counts the simulation's journeys only, never the live flow's.
      const { flowId: simId, version } = await publishSimulatedFlow(sim, rt.flows, flow, 'designer-simulate', from);
      // The channel delivers every flow's messages in the copy but counts only this version's, so the
      // delivered / not delivered / clicks shown add up with the flow's own entered and sent.
      const delivery = body.delivery ? simulatedDeliveryEachTick(sim, DEFAULT_SIMULATED_RATES, { flowId: simId, versionId: version.id }, this.workspace.shop.timezone, step, this.clock.now(), from + body.days * DAY) : null;
      let summary;
      try {
        // `entering` days of entries, then only the run-out that lets them finish (no one new enters).
        const entriesUntil = !body.from && body.entering !== undefined ? from + body.entering * DAY : undefined;
        summary = await simulate(rt.engine, clock, new StoredEventReplay(sim), { from, to: from + body.days * DAY, step, signal: run.signal, afterTick: delivery?.afterTick, entriesUntil });
      } catch (e) {
        if (e instanceof SimulationCancelled) throw new ConflictException(`simulation of ${id} stopped after ${e.ticks} tick(s): ${e.reason}`);
        throw e;
      }
      const report = { ...(await flowRunReport(sim, simId, version.id)), flowId: flow.id };
      const funnel = (await flowFunnel(sim, simId, nodeList(flow))).nodes;
      // Experiment panels fed by the simulation (as of the run's last step or newest event:
      // simulated-experiments.ts), and what the journey brought in beyond its holdout, from them.
      const experiments = await simulatedExperiments(sim, simId, flow, from, from + body.days * DAY);
      const incrementalEffect = journeyIncrementalEffect(flow.nodes, experiments);
      const enrolled = report.enrollments.active + report.enrollments.completed + report.enrollments.exited;
      const whyNobody = enrolled === 0 ? await whyNobodyEntered(sim, flow, from, from + body.days * DAY, summary.refused, rt.rules) : [];
      return { flowId: flow.id, from: new Date(from).toISOString(), days: body.days, summary, broughtForward: gap ? { ...gap, dataEnd: new Date(gap.dataEnd).toISOString(), start: new Date(gap.start).toISOString() } : null, delivery: delivery ? { ...delivery.report, rates: DEFAULT_SIMULATED_RATES } : null, report, funnel, whyNobody, experiments, incrementalEffect };
    } finally {
      await sim?.destroy();
      run.end();
    }
  }

  /** Stops a running simulation of the flow between two ticks (its request answers 409). */
  @Delete('flows/:id/simulate')
  @Allow('marketer')
  cancelSimulation(@Param('id', { schema: FlowIdParam }) id: string, @Caller() caller: Principal) {
    if (!this.runs.cancel(id, caller.name)) throw new NotFoundException(`no simulation of ${id} is running`);
    return { flowId: id, cancelled: true };
  }
}

/**
 * Why a simulation let nobody in, as codes the designer puts in words: the trigger's event never
 * happened in the window, a one-off audience starts outside it, the schedule's segment matched
 * nobody, or customers came but were kept out (by reason).
 */
async function whyNobodyEntered(ds: DataSource, flow: Flow, from: number, to: number, refused: Record<string, number>, rules: RuleSet): Promise<Record<string, unknown>[]> {
  const entry = flow.nodes.find((n) => n.type === 'entry');
  if (!entry || entry.type !== 'entry') return [];
  const tr = entry.trigger;
  // The designer names a segment by its title (the words it shows everywhere else), the id when it has none.
  const segment = (name: string) => ({ segment: name, segmentTitle: rules.get(name)?.title ?? null });
  const out: Record<string, unknown>[] = [];
  for (const [reason, n] of Object.entries(refused)) if (n > 0) out.push({ code: 'refused', reason, count: n });
  if (tr.type === 'event') {
    const [row] = await ds.query('SELECT COUNT(*) AS n FROM customer_events WHERE type = ? AND occurred_at > ? AND occurred_at <= ?', [tr.event, from, to]);
    const n = Number(row?.n ?? 0);
    out.push(n === 0 ? { code: 'no-events', event: tr.event } : { code: 'events-filtered', event: tr.event, count: n });
  } else if (tr.type === 'audience') {
    const start = Date.parse(tr.startAt);
    out.push(start < from || start > to ? { code: 'audience-outside', ...segment(tr.segment), startAt: start, from, to } : { code: 'segment-empty', ...segment(tr.segment) });
  } else {
    out.push({ code: 'segment-empty', ...segment(tr.segment) });
  }
  return out;
}

/** Node ids and types of a flow as read (maybe not valid), for the funnel's order. */
function nodeList(flow: unknown): { id: string; type: string }[] {
  const nodes = (flow as { nodes?: unknown } | null)?.nodes;
  if (!Array.isArray(nodes)) return [];
  return nodes.filter((n) => n && typeof n.id === 'string').map((n) => ({ id: String(n.id), type: String(n.type) }));
}
