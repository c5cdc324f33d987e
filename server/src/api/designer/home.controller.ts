import { existsSync } from 'node:fs';
import { readRulesFile } from '../../core/text/rules-file-text.js';
import { Controller, Get, Inject } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Clock } from '../../core/clock.js';
import type { Flow } from '../../core/flow/schema.js';
import type { Workspace } from '../../config/workspace.js';
import { DraftStore } from '../../persistence/draft-store.js';
import { ATTRIBUTION_WINDOW_MS, flowStats } from '../../persistence/flow-stats.js';
import { FlowRepository } from '../../persistence/flow-repository.js';
import { flowOverview } from '../../runtime/flow-files.js';
import { parseCouponText } from '../../core/coupons/coupon-text.js';
import { SYSTEM_EVENTS } from '../../core/data/system-events.js';
import { seenEventTypes } from '../../persistence/event-types.js';
import { declaredEventsOf } from '../../runtime/declared-events.js';
import { couponFile } from '../../persistence/coupon-ledger.js';
import { Allow } from '../auth/allow.decorator.js';
import { CLOCK, SIMULATION_COPY, SQL_READER, WORKSPACE } from '../tokens.js';
import type { SimulationCopyHold } from '../../runtime/simulation-copy-hold.js';
import type { SqlReader } from '../../persistence/segment-store.js';
import { readFlowFile } from './flow-drafts.js';
import { homeTrigger } from './home-trigger.js';
import { nextRunOf } from './next-run.js';
import { flowNameOf, isSimulatedFlowId, simulatedAtOf, simulatedFlowId } from '../../runtime/simulated-flow.js';
import { experimentReportTimes, experimentResponsesTime } from '../../persistence/report-time.js';
import { liveVersionProblems } from '../../runtime/live-version-problems.js';
import { sameJourney } from '../../core/flow/journey-changes.js';

/**
 * The journeys home: every flow of the shop (files, published flows and drafts) with its status,
 * version, next run and the numbers of the last 7 and 30 days.
 */
@Controller()
@Allow('analyst')
export class HomeController {
  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(WORKSPACE) private readonly workspace: Workspace,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SQL_READER) private readonly reader: SqlReader | null,
    @Inject(SIMULATION_COPY) private readonly simulationCopy: SimulationCopyHold | null,
  ) {}

  /**
   * What the designer shows in the shop's terms: its time zone (pickers, dates) and currency; and,
   * on a simulation's copy, the simulations it holds (`simulationCopy`: the designer's banner 这是模拟副本,
   * nothing is sent and no journey moves; null on the live shop).
   */
  @Get('shop')
  shop() {
    const simulationCopy = this.simulationCopy && { runs: this.simulationCopy.runs.map((r) => ({ flowId: r.flowId, from: r.from, to: r.to })) };
    return { timezone: this.workspace.shop.timezone, currency: 'CNY', simulationCopy };
  }

  /**
   * The coupon templates of rules/coupons.yaml, for the send node's coupon select. A missing or
   * broken file lists none (`rekindle validate` reports what is wrong with it), so the designer
   * still opens.
   */
  @Get('coupons')
  coupons() {
    const file = couponFile(this.workspace.rulesDir);
    if (!existsSync(file)) return { templates: [] };
    try {
      const templates = [...parseCouponText(readRulesFile(file), file).values()]
        .map((c) => ({ id: c.id, name: c.name ?? c.id, amount: c.amount, minSpend: c.minSpend, validDays: c.validDays }))
        .sort((a, b) => a.id.localeCompare(b.id));
      return { templates };
    } catch {
      return { templates: [] };
    }
  }

  /**
   * The event types a flow can name, for the designer's event fields: the ones the system records
   * (orders, coupon redemptions, clicks), the ones rules/shop.yaml declares (`events:`, with their
   * description and payload fields) and the ones seen in the shop's event log (sent through
   * POST /api/events, declared or not). The same list flow validation accepts without a warning.
   */
  @Get('event-types')
  @Allow('analyst')
  async eventTypes() {
    const seen = new Set(await seenEventTypes(this.ds));
    const declared = new Map(declaredEventsOf(this.workspace.rulesDir).map((d) => [d.name, d]));
    const names = [...new Set([...SYSTEM_EVENTS, ...declared.keys(), ...seen])];
    return {
      events: names.map((name) => {
        const d = declared.get(name);
        return { name, system: SYSTEM_EVENTS.includes(name), declared: !!d, seen: seen.has(name), description: d?.description ?? null, fields: d?.fields ?? null };
      }),
    };
  }

  @Get('home')
  async home() {
    const now = this.clock.now();
    const repo = new FlowRepository(this.ds);
    const overview = await flowOverview(this.workspace.rulesDir, repo);
    const published = new Map((await repo.published()).map((p) => [p.flowId, p]));
    const drafts = new Map((await new DraftStore(this.ds).list()).map((d) => [d.flowId, d]));
    const stats = await flowStats(this.ds, now);
    // A live version names segments, coupons and caps that live in rules/ and change in git: one gone
    // stops the journey's entry or its sends, said only in the server's log (runtime/live-version-problems.ts).
    // The log's event types read off the request thread where a reader is (persistence/event-types.ts: ~50 ms).
    const seen = await seenEventTypes(this.ds, this.reader);
    const liveProblems = new Map(liveVersionProblems([...published.values()], this.workspace.rulesDir, seen).map((v) => [v.flowId, v.problems]));
    const listed = [...new Set([...overview.map((o) => o.id), ...drafts.keys()])].sort();
    // The simulation's own flow (<id>~simulated) is not a journey of the shop: its figures are shown
    // on the flow's row, and no designer URL may name it. Kept only where the flow itself is not listed.
    const ids = listed.filter((id) => !isSimulatedFlowId(id) || !listed.includes(flowNameOf(id)));
    // On a server opened on a simulation's copy a flow's figures are its simulation's, by the flow's
    // own id and with the windows ending at the simulation's last step, as its funnel and reports
    // read them: the home said 0 for every simulated flow (its days are ahead of today's clock)
    // while the flow's own live view showed the simulation's thousands.
    // (The simulated flows are listed among the published ones: `flowIdToRead` without a query each.)
    const onCopy = new Map(ids.filter((id) => listed.includes(simulatedFlowId(id))).map((id) => [id, simulatedFlowId(id)]));
    // A simulation run straight into this database (`rekindle simulate <flow> --db`, no copy) ran
    // the flow under its own id: its journeys' steps are ahead of the server's clock, which no live
    // journey's are (persistence/report-time.ts). Its row said 0 in both windows while the flow's
    // funnel showed the simulation's entries; it is read like a copy's, up to its last step.
    // Each simulated flow's windows end at its own last step (one read of the figures per instant).
    // The last steps of all of them in one read (report-time.ts), not one query per flow in turn.
    const lastSteps = await experimentReportTimes(this.ds, ids.map((id) => onCopy.get(id) ?? id), now);
    // Its windows end, and its row says 截至, at the instant the A/B panel, the funnel's CSV, `rekindle
    // report` and GET …/products read it as of (report-time.ts experimentResponsesTime: its last step,
    // or its customers' newest event when later): the home said 截至 its last step (a day before the
    // simulation's end) beside an A/B panel of the same copy saying a day later.
    const simulated = new Map<string, { read: string; at: number }>();
    for (const id of ids) {
      const read = onCopy.get(id) ?? id;
      // (runtime/simulated-flow.ts simulatedAtOf: the rule the canvas's counts read a simulation by too.)
      const last = simulatedAtOf(id, read, lastSteps.get(read) ?? now, now);
      if (last !== null) simulated.set(id, { read, at: last > now ? await experimentResponsesTime(this.ds, read, now) : last });
    }
    const statsAt = new Map<number, Awaited<ReturnType<typeof flowStats>>>([[now, stats]]);
    for (const { at } of simulated.values()) if (!statsAt.has(at)) statsAt.set(at, await flowStats(this.ds, at));
    const flows = ids.map((id) => {
      const o = overview.find((x) => x.id === id);
      const p = published.get(id);
      const d = drafts.get(id);
      const shown = (d?.flow ?? p?.version.flow ?? readFlowFile(this.workspace.rulesDir, id)?.flow ?? {}) as Partial<Flow>;
      const trigger = homeTrigger(p?.version.flow, shown);
      const liveTrigger = p ? (homeTrigger(p.version.flow, null) ?? undefined) : undefined;
      const nextRun = liveTrigger ? (nextRunOf(p, this.workspace.shop.timezone)?.at ?? null) : null;
      const sim = simulated.get(id);
      const s = sim ? statsAt.get(sim.at)!.get(sim.read) : stats.get(id);
      return {
        id,
        name: typeof shown.name === 'string' ? shown.name : id,
        description: typeof shown.description === 'string' ? shown.description : null,
        // 所属活动: the editor offers the campaigns other journeys use (one tag for all of a campaign's journeys).
        campaign: typeof shown.campaign === 'string' && shown.campaign ? shown.campaign : null,
        status: o?.status ?? 'draft',
        version: o?.currentVersion ?? null,
        trigger,
        nextRun,
        // A draft back at the live version's content (every edit undone, or edited back) is no
        // unpublished change: the designer's editor and its 对比线上版本 say so (core/flow/journey-changes.ts).
        draft: d && !(p && sameJourney(p.version.flow, d.flow)) ? { updatedAt: d.updatedAt, baseVersion: d.baseVersion } : null,
        // Its file in git differs from the live version (a commit not published yet): also "unpublished changes".
        fileChanged: o?.fileChanged ?? null,
        active: s?.active ?? 0,
        last7: s?.last7 ?? { entered: 0, sent: 0, conversions: 0, orders: 0, revenue: 0 },
        last30: s?.last30 ?? { entered: 0, sent: 0, conversions: 0, orders: 0, revenue: 0 },
        daily: s?.daily ?? new Array(30).fill(0),
        // The instant a simulated flow's figures count up to (its windows end there), null for a live one.
        simulatedAt: sim ? sim.at : null,
        // What its live version names that rules/ no longer has (or cannot use): step, field, why.
        liveProblems: liveProblems.get(id) ?? [],
      };
    });
    return { now, timezone: this.workspace.shop.timezone, currency: 'CNY', attributionDays: ATTRIBUTION_WINDOW_MS / 86_400_000, flows };
  }
}
