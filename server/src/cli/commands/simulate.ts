import { setting } from '../../config/settings.js';
import { formatShopTime, shopIsoTime } from '../../core/engine/local-time.js';
import { existsSync, rmSync } from 'node:fs';
import type { Command } from 'commander';
import { VirtualClock } from '../../core/clock.js';
import { parseShopInstant } from '../../core/shop-instant.js';
import { DEFAULT_SIMULATED_RATES, parseRates, type SimulatedRates } from '../../core/channels/simulated-delivery.js';
import { simulate, type SimulationSummary } from '../../core/engine/simulation.js';
import { GAP_MIN_MS } from '../../core/channels/gap-purchases.js';
import { bringShopForward, type ShopBroughtForward } from '../../persistence/simulated-gap.js';
import { ordersAfter } from '../../persistence/orders-after.js';
import { seedFromText } from '../../core/seed/prng.js';
import { emptySimulatedDeliveryReport, simulatedDeliveryEachTick, type SimulatedDeliveryReport } from '../../persistence/simulated-delivery.js';
import { parseDuration } from '../../core/flow/duration.js';
import { DEFAULT_SQLITE_FILE, dialectOf, openDatabase } from '../../persistence/data-source.js';
import { StoredEventReplay } from '../../persistence/event-replay.js';
import { widenWalForSimulation } from '../../persistence/simulation-wal.js';
import { createPrivateFile } from '../../persistence/private-files.js';
import { flowRunReport, type FlowRunReport } from '../../persistence/flow-report.js';
import { createEngineRuntime } from '../../runtime/engine-runtime.js';
import { flowNameOf, isSimulatedFlowId, publishSimulatedFlow } from '../../runtime/simulated-flow.js';
import { markSimulationCopy, simulationRunsIn } from '../../persistence/simulation-copy-mark.js';
import type { Flow } from '../../core/flow/schema.js';
import { entryRefusalWords, refusalCountWords } from '../../core/engine/entry-refusal-words.js';
import { FlowNotFoundError, InvalidFlowError, loadValidFlow } from '../../runtime/flow-files.js';
import { outcomeWords } from '../../core/flow/outcome-words.js';
import { explainReason } from '../../core/policy/explain-reason.js';
import { entryNode } from '../../core/engine/journey-engine.js';
import { RuleSet, segmentsDir } from '../../core/rules/rule-set.js';
import { CliError, commandContext, output } from '../context.js';
import { yuan } from '../../core/text/money.js';
import { registerSimulateUnmark } from './simulate-unmark.js';
import { journeyIncrementalEffect } from '../../core/experiment/incremental-effect.js';
import { incrementalEffectLines } from '../../core/experiment/incremental-effect-text.js';
import { simulatedExperiments } from '../../persistence/simulated-experiments.js';
import type { ListTitles } from '../../core/policy/list-title.js';
import { PolicyFile } from '../../persistence/policy-file.js';

interface SimulateOptions {
  from?: string;
  days: string;
  step: string;
  copyOf?: string;
  allowLive?: boolean;
  delivery: boolean;
  deliveryRate?: string;
  responseRate?: string;
  redeemRate?: string;
  purchaseRate?: string;
  baselineRate?: string;
  seed: string;
}

/** The simulated channel's rates from the command line (defaults: core/channels/simulated-delivery.ts). */
function ratesFrom(o: SimulateOptions): SimulatedRates {
  try {
    const d = DEFAULT_SIMULATED_RATES;
    const redeem = o.redeemRate === undefined ? d.redeem : Number(o.redeemRate);
    if (!Number.isFinite(redeem) || redeem < 0 || redeem > 1) throw new Error(`--redeem-rate: "${o.redeemRate}" is not a rate between 0 and 1`);
    const purchase = o.purchaseRate === undefined ? d.purchase : Number(o.purchaseRate);
    if (!Number.isFinite(purchase) || purchase < 0 || purchase > 1) throw new Error(`--purchase-rate: "${o.purchaseRate}" is not a rate between 0 and 1`);
    // "history" (the default): each customer's own orders per day; a number: that rate for everyone; 0: none.
    const baseline = o.baselineRate === undefined || o.baselineRate === 'history' ? d.baseline : Number(o.baselineRate);
    if (baseline !== null && (!Number.isFinite(baseline) || baseline < 0)) throw new Error(`--baseline-rate: "${o.baselineRate}" is neither "history" nor a number of orders per customer per day (0 or more)`);
    return {
      seed: seedFromText(o.seed),
      delivery: o.deliveryRate ? parseRates(o.deliveryRate, d.delivery, '--delivery-rate') : d.delivery,
      response: o.responseRate ? parseRates(o.responseRate, d.response, '--response-rate') : d.response,
      redeem,
      purchase,
      baseline,
    };
  } catch (e) {
    throw new CliError((e as Error).message);
  }
}

/** Delivered messages without a link bring nothing in a simulation (persistence/simulated-delivery.ts): said, with what to do. */
function unlinkedLine(unlinked: number, delivered: number): string {
  return `${unlinked} of the ${delivered} delivered messages have no link: the simulated customers answer linked messages only, so these bring no click, coupon use or order here (real customers may still buy); give the send step a link to estimate its effect`;
}

/** The run as text: outcomes in words (outcomeWords; `--json` keeps the codes), groups with the case that led to them given the flow. */
export function formatFlowReport(r: FlowRunReport, nodeTypes: Map<string, string>, flow?: Parameters<typeof outcomeWords>[1], listTitles: ListTitles = {}): string {
  const splits = (flow?.nodes ?? []) as { id: string; arms?: { id: string; label?: string }[] }[];
  const lines = [`flow ${r.flowId}: ${r.enrollments.active} in progress, ${r.enrollments.completed} completed (goal), ${r.enrollments.exited} exited`, '', 'node                          type          what happened'];
  // In the flow's order (nodeTypes is built from flow.nodes), as the funnel reads: entry first.
  const position = new Map([...nodeTypes.keys()].map((id, i) => [id, i]));
  const nodes = [...r.nodes].sort((a, b) => (position.get(a.nodeId) ?? Infinity) - (position.get(b.nodeId) ?? Infinity));
  for (const n of nodes) {
    // A split's arm with its name as the designer and `rekindle report` show it: `arm a (邮件抢先看)`, not the bare id.
    const armLabel = (k: string) => (k.startsWith('arm:') ? splits.find((x) => x.id === n.nodeId)?.arms?.find((a) => a.id === k.slice(4))?.label : undefined);
    const what = Object.entries(n.outcomes).map(([k, v]) => `${outcomeWords(k, flow, listTitles)}${armLabel(k) ? ` (${armLabel(k)})` : ''} ${v}`);
    if (n.waiting) what.push(`waiting now ${n.waiting}`);
    lines.push(`${n.nodeId.padEnd(30)}${(nodeTypes.get(n.nodeId) ?? '').padEnd(14)}${what.join(', ')}`);
  }
  if (r.sends.length) {
    // The reason last and in words (as `report --funnel` and `explain` say it): a column of codes
    // (no-consent:email) is not for people, and words do not fit a fixed width.
    lines.push('', 'messages      status      count  reason');
    for (const s of r.sends) lines.push(`${s.channel.padEnd(14)}${s.status.padEnd(12)}${String(s.count).padStart(5)}  ${s.reason ? (explainReason(s.reason, listTitles) ?? s.reason) : ''}`.trimEnd());
  }
  return lines.join('\n');
}

/** Journeys the window ended on: said, so a count of "0 completed" is not read as the flow's result. */
export function stillWaiting(r: FlowRunReport, days: number): string[] {
  const waiting = r.nodes.filter((n) => n.waiting > 0);
  const total = waiting.reduce((s, n) => s + n.waiting, 0);
  if (total === 0) return [];
  return ['', `${total} journeys were still waiting when the ${days}-day window ended (${waiting.map((n) => `${n.nodeId} ${n.waiting}`).join(', ')}): their outcome is not in these figures; simulate with a longer --days to see them finish`];
}

/**
 * The time between the shop's data and the start, said: what the shop did in it on a copy, or on
 * the user's own database that customers reach the start having bought nothing since.
 */
export function gapLines(gap: ShopBroughtForward | null, dataEnd: number | null, from: number, timezone: string): string[] {
  if (gap) {
    const days = Math.round((gap.start - gap.dataEnd) / 86_400_000);
    return [
      `the shop's orders end ${formatShopTime(gap.dataEnd, timezone)}, ${days} day(s) before the start: the copy lived until then — ${gap.buyers} customers paid ${gap.orders} orders worth ${yuan(gap.revenue)} (each at their own rate from their order history, or --baseline-rate), ${gap.unpaidClosed} orders left unpaid over two days closed, ${gap.unpaidPlaced} placed and not yet paid in the last two days (--baseline-rate 0: none of this)`,
    ];
  }
  if (dataEnd !== null && from - dataEnd >= GAP_MIN_MS) {
    return [`warning: the shop's orders end ${formatShopTime(dataEnd, timezone)}, ${Math.round((from - dataEnd) / 86_400_000)} day(s) before the start, and nobody bought in between: customers reach the start older than they would be (the active ones asleep); simulate on a copy (--copy-of) to let the shop live until then`];
  }
  return [];
}

/**
 * Said on a database `simulate` did not copy (and that is not a simulation's copy already): it is
 * left unmarked, so a server opened on it would send its queued messages and move its journeys on.
 */
export function notMarkedLines(simulationCopy: boolean, db: string): string[] {
  if (simulationCopy) return [];
  return [`note: ${db} is not a copy this command made, so it is not marked as a simulation's copy: a server opened on it sends its queued messages and moves its journeys on (simulate on a copy: --copy-of)`];
}

/** What the limits did at entry, before anyone got a message (held-back sends are in the report). */
export function formatLimits(s: SimulationSummary): string[] {
  const lines: string[] = [];
  // Per flow (the copy runs every published flow, not only this one), in words, with what the number counts.
  for (const [flowId, f] of Object.entries(s.refusedByFlow ?? {})) {
    const refused = Object.entries(f.refused).sort((a, b) => b[1] - a[1]);
    if (refused.length === 0) continue;
    const name = isSimulatedFlowId(flowId) ? flowNameOf(flowId) : flowId;
    lines.push(`kept out at entry of ${name} (${refusalCountWords(f.trigger, f.runs)}):`);
    for (const [reason, n] of refused) lines.push(`  ${n.toLocaleString('en-US')} ${entryRefusalWords(reason)}`);
  }
  if (s.deferredEntries) lines.push(`entry spread to later days by a group limit: ${s.deferredEntries}`);
  const groups = Object.entries(s.groups);
  if (groups.length) lines.push(`groups: ${groups.map(([g, n]) => `${g} ${n}`).join(', ')}`);
  return lines;
}

/** The flow to simulate, checked before anything is copied or written (an unknown or invalid flow is said, naming the file). */
function flowToSimulate(rulesDir: string, flowArg: string): Flow {
  try {
    return loadValidFlow(rulesDir, flowArg, RuleSet.loadDir(segmentsDir(rulesDir))).flow;
  } catch (e) {
    if (e instanceof InvalidFlowError || e instanceof FlowNotFoundError) throw new CliError(e.message);
    throw e;
  }
}

/**
 * Where a simulation without --from starts: a one-off audience flow's own startAt (the Double-11
 * campaign said "required option '--from <date>'" though its file names the day). A flow entered
 * on events or on a schedule has no day of its own, so --from stays needed there.
 */
function startOfFlow(flow: Flow): number {
  const trigger = entryNode(flow).trigger;
  if (trigger.type === 'audience') return Date.parse(trigger.startAt);
  throw new CliError(`--from <date> is needed: ${flow.id} enters customers ${trigger.type === 'event' ? `on each ${trigger.event} event` : 'on a schedule'}, not on a date of its own (e.g. --from 2027-04-20)`);
}

/**
 * `rekindle simulate <flow> [--from <date>] --days N`: runs a flow over the shop's data in virtual
 * time. It writes enrollments and sends into the database it runs on, so it refuses the live
 * shop file unless told otherwise: simulate on a copy (`--copy-of data/rekindle.sqlite`).
 */
export function registerSimulate(program: Command): void {
  const simulateCommand = program
    .command('simulate <flow>')
    .description('run a flow over the shop in virtual time and print what each node did')
    .option('--from <date>', "virtual start (ISO date or date-time); default: a one-off audience flow's startAt")
    .option('--days <n>', 'how many days to simulate', '7')
    .option('--step <duration>', 'virtual time between engine ticks', '1h')
    .option('--copy-of <sqlite file>', 'first copy this SQLite shop into --db (which must not exist yet)')
    .option('--allow-live', 'simulate directly in the default live database (not recommended)')
    .option('--no-delivery', 'leave messages queued (no simulated channel)')
    .option('--delivery-rate <rates>', 'share of messages the simulated channel delivers: 0.95, or sms=0.97,email=0.9')
    .option('--response-rate <rates>', 'share of delivered messages with a link answered with a click (one without a link is never clicked): 0.05, or sms=0.04,wechat=0.06')
    .option('--redeem-rate <rate>', 'share of answered coupon messages whose coupon is used in a paid order', undefined)
    .option('--purchase-rate <rate>', 'share of the other answered messages that lead to a paid order without a coupon', undefined)
    .option('--baseline-rate <rate>', 'organic purchases of the flow\'s customers, messaged or not: "history" (each customer\'s own orders per day, the default), orders per customer per day (0.01), or 0 for none')
    .option('--seed <seed>', 'seed of the simulated channel (same seed, same fates)', '1')
    .action(async (flowArg: string, o: SimulateOptions, cmd: Command) => {
      const ctx = commandContext(cmd);
      const flow = flowToSimulate(ctx.workspace.rulesDir, flowArg);
      const from = o.from !== undefined ? parseShopInstant(o.from, '--from', ctx.workspace.shop.timezone) : startOfFlow(flow);
      const rates = ratesFrom(o);
      const days = Number(o.days);
      if (!Number.isFinite(days) || days <= 0) throw new CliError(`--days: "${o.days}" is not a positive number`);
      let step: number;
      try {
        step = parseDuration(o.step);
      } catch (e) {
        throw new CliError(`--step: ${(e as Error).message}`);
      }
      const target = ctx.database;
      // A copy this command made is removed again when the command fails (an unknown flow, an
      // invalid one, a crash mid-run): a half-simulated copy is of no use, and leaving it would
      // make the corrected retry fail with "--db … already exists".
      let madeCopy = false;
      let completed = false;
      if (o.copyOf) {
        if (dialectOf(target) !== 'sqlite') throw new CliError('--copy-of copies a SQLite file; give --db <new sqlite file>');
        if (existsSync(target.url)) throw new CliError(`--db ${target.url} already exists; --copy-of needs a new file`);
        if (!existsSync(o.copyOf)) throw new CliError(`--copy-of ${o.copyOf}: no such file`);
        const src = await openDatabase({ url: o.copyOf });
        // The copy holds the shop's customers: private (0600) like the shop's own file. VACUUM INTO
        // fills an empty file it is given and keeps its mode.
        createPrivateFile(target.url);
        try {
          await src.query('VACUUM INTO ?', [target.url]);
        } catch (e) {
          rmSync(target.url, { force: true });
          throw e;
        } finally {
          await src.destroy();
        }
        madeCopy = true;
      } else if (target.url === DEFAULT_SQLITE_FILE && !o.allowLive) {
        throw new CliError(`simulate writes journeys and sends into its database: run it on a copy, e.g. --db data/sim.sqlite --copy-of ${DEFAULT_SQLITE_FILE} (or pass --allow-live)`);
      }
      const ds = await openDatabase(target);
      let switchThread: { close(): Promise<void> } | null = null;
      try {
        // A copy this command made is marked as a simulation's before anything runs in it: it holds
        // the real customers' phones and e-mails, the live shop's queued messages and then the
        // simulation's, so a server (worker, scheduler) opened on it sends nothing and moves no
        // journey (runtime/simulation-copy-hold.ts). A database it did not copy is the user's own,
        // perhaps the live shop under another path: never marked (a live shop marked would stop
        // sending), unless it is a simulation's copy already — then this run is recorded too.
        const run = { flowId: flow.id, from, to: from + days * 86_400_000 };
        const simulationCopy = madeCopy || (await simulationRunsIn(ds)).length > 0;
        if (simulationCopy) await markSimulationCopy(ds, run, ctx.clock.now());
        // A copy this command made is the simulation's alone: longer WAL spans (simulation-wal.ts).
        if (madeCopy) await widenWalForSimulation(ds);
        const tz = ctx.workspace.shop.timezone;
        // A start after the shop's data ends (next autumn's campaign on today's shop): on a copy this
        // command made, the shop lives until then (simulated-gap.ts); the user's own database is
        // never given made-up orders, only told.
        const gap = madeCopy ? await bringShopForward(ds, rates, from, tz, ctx.clock.now()) : null;
        const dataEnd = madeCopy || from <= ctx.clock.now() ? null : (await ordersAfter(ds, from)).newestAt;
        const clock = new VirtualClock(from);
        // The switch decided one batch ahead on a thread of its own (runtime/switch-precompute.ts;
        // SQLite only): on two cores the Double-11 simulation's wall fell 10-22% at 1,000,000
        // customers, process CPU level. REKINDLE_SWITCH_THREAD=off decides in place, as before.
        const rt = createEngineRuntime(ds, ctx.workspace, clock, { switchThread: setting('REKINDLE_SWITCH_THREAD') === 'on' });
        switchThread = rt.switchThread;
        // On a copy this command made, the flow runs as the designer's 模拟 runs it
        // (runtime/simulated-flow.ts): under its simulation id, the live flow of that id set aside
        // in the copy, so a one-off audience the live flow already ran enters again and every figure
        // below is the simulation's own. `report`, `explain` on the copy still take the flow's name
        // (runtime flowIdToRead). A database the command did not copy is the user's own: nothing
        // there is paused or forgotten, the flow is published under its id as before.
        const { flowId: runId, version } = madeCopy ? await publishSimulatedFlow(ds, rt.flows, flow, 'simulate', from) : { flowId: flow.id, ...(await rt.flows.publish(flow, 'simulate', from)) };
        const progress = !ctx.json && process.stderr.isTTY;
        // Delivers every flow's messages in the database, counts only this version's (the figures printed are the flow's).
        const channel = o.delivery ? simulatedDeliveryEachTick(ds, rates, { flowId: runId, versionId: version.id }, ctx.workspace.shop.timezone, step, ctx.clock.now(), from + days * 86_400_000) : null;
        const delivery: SimulatedDeliveryReport = channel?.report ?? emptySimulatedDeliveryReport();
        const summary = await simulate(rt.engine, clock, new StoredEventReplay(ds), {
          from,
          to: from + days * 86_400_000,
          step,
          // The simulated channel delivers what is due after each tick, so give-up, response
          // branches and reports (exposure, cost) see delivered messages and their answers.
          afterTick: channel?.afterTick,
          onProgress: progress ? (t) => process.stderr.write(`\rsimulating ${formatShopTime(t, ctx.workspace.shop.timezone)}`) : undefined,
        });
        if (progress) process.stderr.write('\n');
        // Named by the flow's name, as the designer names it; `simulatedAs` is the id it ran under.
        const report = { ...(await flowRunReport(ds, runId, version.id)), flowId: flow.id };
        const types = new Map(flow.nodes.map((n) => [n.id, n.type]));
        const entered = report.enrollments.active + report.enrollments.completed + report.enrollments.exited;
        // Messages the flow sent out (queued, then delivered or not by the simulated channel), not those held back.
        const queued = report.sends.filter((x) => ['queued', 'sending', 'sent', 'failed'].includes(x.status)).reduce((n, x) => n + x.count, 0);
        // What the journey brought in beyond its holdout, from its splits' experiment reports as the designer's 模拟 reads them.
        const incrementalEffect = journeyIncrementalEffect(flow.nodes, await simulatedExperiments(ds, runId, flow, from, from + days * 86_400_000));
        output(ctx, { flowId: flow.id, ...(runId !== flow.id ? { simulatedAs: runId } : {}), version: version.version, from: shopIsoTime(from, ctx.workspace.shop.timezone), days, database: target.url, simulationCopy, entered, queued, summary, broughtForward: gap ? { ...gap, dataEnd: shopIsoTime(gap.dataEnd, tz), start: shopIsoTime(gap.start, tz) } : null, delivery: o.delivery ? { ...delivery, rates } : null, incrementalEffect, report }, () =>
          [
            `simulated ${flow.id} v${version.version} from ${formatShopTime(from, ctx.workspace.shop.timezone)} for ${days} day(s) in ${target.url}`,
            `${flow.id}: ${entered} entered, ${queued} messages queued`,
            // The engine ran every live flow in the database; its totals are said as such, not as this flow's.
            `all journeys in ${target.url}: ${summary.ticks} ticks, ${summary.eventsReplayed} events replayed, ${summary.enrolled} entered, ${summary.steps} steps, ${summary.queued} messages queued`,
            o.delivery
              ? `simulated channel (seed ${rates.seed}), ${flow.id}'s messages: ${delivery.delivered} delivered, ${delivery.undelivered} not delivered, ${delivery.responses} answered (click), ${delivery.orders} paid orders worth ${yuan(delivery.revenue)}, ${delivery.redeemed} coupons used`
              : 'no delivery (--no-delivery): messages stay queued',
            ...(o.delivery && delivery.deliveredWithoutLink > 0 ? [unlinkedLine(delivery.deliveredWithoutLink, delivery.delivered)] : []),
            ...(o.delivery
              ? [
                  rates.baseline === 0
                    ? 'organic purchases: none (--baseline-rate 0): only messages lead to orders'
                    : `organic purchases of ${flow.id}'s customers, messaged or not (${rates.baseline === null ? 'each at their own rate from their order history' : `${rates.baseline} orders per customer per day`}): ${delivery.organicOrders} paid orders worth ${yuan(delivery.organicRevenue)}`,
                ]
              : []),
            ...notMarkedLines(simulationCopy, target.url),
            ...gapLines(gap, dataEnd, from, tz),
            ...formatLimits(summary),
            '',
            // A block list by its title: the titles read once, for the whole report.
            formatFlowReport(report, types, flow, new PolicyFile(ctx.workspace.rulesDir).titledLists()),
            // Beyond the holdout (incremental-effect-text.ts): what the messages brought in, or what to add to measure it.
            '',
            ...incrementalEffectLines(incrementalEffect),
            ...stillWaiting(report, days),
          ].join('\n'),
        );
        completed = true;
      } finally {
        await switchThread?.close();
        await ds.destroy();
        if (madeCopy && !completed) for (const f of [target.url, `${target.url}-wal`, `${target.url}-shm`, `${target.url}-journal`]) rmSync(f, { force: true });
      }
    });
  // `rekindle simulate unmark`: the copy's mark taken off again (simulate-unmark.ts).
  registerSimulateUnmark(simulateCommand);
}
