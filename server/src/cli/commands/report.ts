import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { DataSource } from 'typeorm';
import { pStatement, pValueText } from '../../core/experiment/p-value-text.js';
import { roiWithinChance } from '../../core/experiment/roi-within-chance.js';
import type { ExperimentReport } from '../../core/experiment/report.js';
import { RuleSet, segmentsDir } from '../../core/rules/rule-set.js';
import { ExperimentNotFoundError, experimentNode, experimentReport, findExperiment, reportCsv } from '../../persistence/experiment-store.js';
import { flowFunnel, funnelCsv, heldBackWords, newestPublishedNodes, nodeLabels, type FunnelNode } from '../../persistence/flow-report.js';
import { queryRows } from '../../persistence/sql-batch.js';
import { flowStepClicks, publishedSendStep, stepProductClicks } from '../../persistence/product-clicks.js';
import { productClicksCsv, productClicksText, stepClicksText, type ProductClicksReport } from '../../core/experiment/product-clicks-text.js';
import { parseResponseWindow } from '../../core/experiment/response-window.js';
import { experimentResponsesTime } from '../../persistence/report-time.js';
import { FlowNotFoundError, InvalidFlowError, listFlowIds, loadValidFlow } from '../../runtime/flow-files.js';
import { flowIdToRead, flowNameOf, isSimulatedFlowId } from '../../runtime/simulated-flow.js';
import { CliError, commandContext, output, withDatabase, type CommandContext } from '../context.js';
import { closestName } from '../../core/text/closest-name.js';
import { yuan, yuanOrDash } from '../../core/text/money.js';
import { formatShopTime } from '../../core/engine/local-time.js';
import { MINUS, percent, points } from '../../core/text/signed-number.js';
import { systemClock } from '../../core/clock.js';
import { futureAsOfProblem } from '../../core/experiment/future-as-of.js';
import { PolicyFile } from '../../persistence/policy-file.js';
import type { ListTitles } from '../../core/policy/list-title.js';

/**
 * `rekindle report <flow file, flow id or experiment id>`: per-arm figures of an experiment; for a
 * flow without one (or with --funnel) the flow's per-node funnel, the figures of
 * GET /api/flows/:id/funnel from the same function (entered, waiting, sent, blocked by reason,
 * failed, responded, converted, exited), so an analyst is never left with "has no experiment".
 * With --products, a send step's clicks against sales and the products its responders bought.
 */
export function registerReport(program: Command): void {
  program
    .command('report <target>')
    .description('experiment report: per arm assigned, exposed, responders, rate (95% Wilson), revenue, cost, ROI, lift, p-value, P(best), sample-ratio and power warnings; a flow without an experiment (or --funnel): per node entered, waiting, sent, blocked by reason, failed, responded (wait steps), clicked and coupons used (send steps), converted, exited')
    .option('--csv <file>', 'also write the per-arm (or per-node) figures as CSV ("-" for stdout instead of the report)')
    .option('--at <instant>', 'experiment report as of this instant (ISO date-time with offset; default now, or the last step of the flow when later: a simulation ahead of today)')
    .option('--funnel', 'the per-node funnel of the flow even when it has an experiment')
    .option('--excel', 'CSV for Excel: byte order mark, Chinese headers, shop-time date-times, rates in percent, ids as text')
    .option('--products [node]', "a send step's clicks against sales: delivered, clicked, clickers who paid within the window of their click, and the products its responders bought (buyers, of them clicked first, quantity, revenue); without a step, every send step's line side by side")
    .option('--window <duration>', 'with --products: how long after the message (and after a click) an order counts (default 7d)')
    .action(async (target: string, o: { csv?: string; at?: string; funnel?: boolean; excel?: boolean; products?: string | true; window?: string }, cmd: Command) => {
      if (o.excel && !o.csv) throw new CliError('--excel: only with --csv (a spreadsheet opens CSV)');
      if (o.window !== undefined && o.products === undefined) throw new CliError('--window: only with --products <node>');
      if (o.products !== undefined && o.funnel) throw new CliError('--products and --funnel are two reports: ask for one');
      const ctx = commandContext(cmd, o.at);
      await withDatabase(ctx, async (ds) => {
        if (o.products !== undefined) return productsReport(ds, ctx, target, o.products === true ? null : o.products, o);
        // On a copy `rekindle simulate` ran a flow in, the flow's name reads its simulation
        // (runtime/simulated-flow.ts flowIdToRead); an experiment id finds the newest version, the simulated one.
        const simulated = !target.endsWith('.flow.yaml') ? await flowIdToRead(ds, target) : target;
        if (simulated !== target) target = simulated;
        let flowId: string;
        let node;
        try {
          if (target.endsWith('.flow.yaml')) {
            const { flow } = loadValidFlow(ctx.workspace.rulesDir, target, RuleSet.loadDir(segmentsDir(ctx.workspace.rulesDir)));
            flowId = await flowIdToRead(ds, flow.id);
            if (!(await newestPublishedNodes(ds, flowId))) throw new CliError(neverPublished(flow.id));
            node = o.funnel ? undefined : experimentNode(flow);
          } else if (o.funnel && (await newestPublishedNodes(ds, target))) {
            flowId = target;
          } else {
            try {
              const found = await findExperiment(ds, target);
              flowId = found.flow.id;
              node = o.funnel ? undefined : found.node;
            } catch (e) {
              if (!(e instanceof ExperimentNotFoundError)) throw e;
              // A flow of rules/flows/ that was never published: say that, not "no experiment".
              if (listFlowIds(ctx.workspace.rulesDir).includes(target) && !(await newestPublishedNodes(ds, target))) throw new CliError(neverPublished(target));
              // A published flow without an experiment: its funnel is the report there is.
              // Neither: report takes a flow too, so say so (not only "no experiment"), with the flows there are.
              if (!(await newestPublishedNodes(ds, target))) {
                const flows = listFlowIds(ctx.workspace.rulesDir);
                const near = closestName(target, flows);
                throw new CliError(`${e.message}; nor is "${target}" a flow${flows.length ? ` (flows in rules/flows/: ${flows.join(', ')})` : ''}${near ? `: did you mean "${near}"?` : ''}`);
              }
              flowId = target;
            }
          }
        } catch (e) {
          if (e instanceof ExperimentNotFoundError || e instanceof FlowNotFoundError) throw new CliError(e.message);
          if (e instanceof InvalidFlowError) throw new CliError(`${e.file} has problems; run rekindle validate`);
          throw e;
        }
        if (!node) return funnelReport(ds, ctx, flowId, o);
        const at = await reportAsOf(ds, ctx, flowId, o.at);
        const r = await experimentReport(ds, flowId, node, at);
        const csv = () => reportCsv(r, { timezone: ctx.workspace.shop.timezone, excel: o.excel });
        if (o.csv === '-') return void process.stdout.write(csv());
        if (o.csv) writeFileSync(o.csv, csv());
        output(ctx, r, () => experimentReportText(r, formatShopTime(at, ctx.workspace.shop.timezone)));
      }, { existing: true });
    });
}

/**
 * `--products <node>`: clicks against sales of one send step (persistence/product-clicks.ts, as
 * GET /api/flows/:id/nodes/:node/products); `--products` alone: every send step's line side by side
 * (GET /api/flows/:id/products).
 */
async function productsReport(ds: DataSource, ctx: CommandContext, target: string, nodeId: string | null, o: { csv?: string; at?: string; excel?: boolean; window?: string }): Promise<void> {
  const window = o.window ?? '7d';
  let windowMs: number;
  try {
    windowMs = parseResponseWindow(window);
  } catch (e) {
    throw new CliError(`--window: ${(e as Error).message}`);
  }
  let flowName = target;
  if (target.endsWith('.flow.yaml')) {
    try {
      flowName = loadValidFlow(ctx.workspace.rulesDir, target, RuleSet.loadDir(segmentsDir(ctx.workspace.rulesDir))).flow.id;
    } catch (e) {
      if (e instanceof FlowNotFoundError) throw new CliError(e.message);
      if (e instanceof InvalidFlowError) throw new CliError(`${e.file} has problems; run rekindle validate`);
      throw e;
    }
  }
  // On a simulation's copy, the simulated flow's figures by the flow's own name (as the funnel reads them).
  const flowId = await flowIdToRead(ds, flowName);
  if (nodeId === null) {
    if (o.csv) throw new CliError('--csv: with --products <send step> (one row per product); the steps side by side are text or --json');
    const at = await reportAsOf(ds, ctx, flowId, o.at);
    const steps = await flowStepClicks(ds, { flowId, windowMs, now: at });
    if (!steps) throw new CliError(neverPublished(flowName));
    const r = { flowId, window, asOf: at, steps };
    return output(ctx, r, () => stepClicksText({ ...r, flowId: flowWords(flowId) }, formatShopTime(at, ctx.workspace.shop.timezone)));
  }
  const step = await publishedSendStep(ds, flowId, nodeId);
  if (step === 'never-published') throw new CliError(neverPublished(flowName));
  if (step === 'no-send-step') {
    const sends = (await newestPublishedNodes(ds, flowId))!.nodes.filter((n) => n.type === 'send').map((n) => n.id);
    throw new CliError(`--products: flow ${flowName} has no send step "${nodeId}"${sends.length ? ` (its send steps: ${sends.join(', ')})` : ''}`);
  }
  const at = await reportAsOf(ds, ctx, flowId, o.at);
  const r: ProductClicksReport = { flowId, nodeId, link: step.link, window, asOf: at, ...(await stepProductClicks(ds, { flowId, nodeId, windowMs, now: at, link: step.link })) };
  const csv = () => productClicksCsv(r, { excel: o.excel, timezone: ctx.workspace.shop.timezone });
  if (o.csv === '-') return void process.stdout.write(csv());
  if (o.csv) writeFileSync(o.csv, csv());
  output(ctx, r, () => productClicksText({ ...r, flowId: flowWords(flowId) }, formatShopTime(at, ctx.workspace.shop.timezone)));
}

/**
 * The instant a report counts up to: `--at`, else now (on a simulation's copy its end:
 * experimentResponsesTime). An `--at` later than that is refused (core/experiment/future-as-of.ts):
 * the figures of today stamped 2030 read like a forecast. Now is the wall clock here, not
 * ctx.clock, which `--at` fixes to itself.
 */
async function reportAsOf(ds: DataSource, ctx: CommandContext, flowId: string, at: string | undefined): Promise<number> {
  const latest = await experimentResponsesTime(ds, flowId, systemClock.now());
  if (at === undefined) return latest;
  const asked = ctx.clock.now();
  const problem = futureAsOfProblem(asked, latest, '--at', ctx.workspace.shop.timezone);
  if (problem) throw new CliError(problem);
  return asked;
}

/** The answer for a flow nobody went through yet: publish it, or see what it would do. */
function neverPublished(flowId: string): string {
  return `flow "${flowId}" was never published, so no customer went through it yet: publish it (rekindle flows publish ${flowId}) or try it on a copy of the shop (rekindle simulate ${flowId})`;
}

/** The flow's funnel over every published version, in the newest version's node order. */
async function funnelReport(ds: DataSource, ctx: CommandContext, flowId: string, o: { csv?: string; at?: string; excel?: boolean }): Promise<void> {
  // The funnel counts the logs as they are now; an "as of" would need every count redone by time.
  if (o.at) throw new CliError('--at applies to experiment reports only: the funnel counts everything up to now');
  const newest = await newestPublishedNodes(ds, flowId);
  if (!newest) throw new CliError(neverPublished(flowId));
  const f = await flowFunnel(ds, flowId, newest.nodes);
  const labels = nodeLabels(newest.nodes);
  // A block list is said by its title (the Excel variant, the text's held-back lines; the plain CSV keeps codes): the titles read once, for the whole report.
  const listTitles = new PolicyFile(ctx.workspace.rulesDir).titledLists();
  if (o.csv === '-') return void process.stdout.write(funnelCsv(f, { excel: o.excel, timezone: ctx.workspace.shop.timezone, labels, listTitles }));
  if (o.csv) writeFileSync(o.csv, funnelCsv(f, { excel: o.excel, timezone: ctx.workspace.shop.timezone, labels, listTitles }));
  output(ctx, f, () => humanFunnel(f, newest.version, labels, listTitles));
}

/** A flow as the developer named it: a simulation on a copy by the flow's name, marked (the id with ~simulated is the copy's own). */
function flowWords(flowId: string): string {
  return isSimulatedFlowId(flowId) ? `${flowNameOf(flowId)} (simulated)` : flowId;
}

/**
 * `labels`: each step's card name by node id (nodeLabels): the last column, `step name`, so the
 * Double-11 group cap-only-d11 reads A1 组：每组不超过 3 万人 (last, since a Chinese name is two
 * columns wide at a terminal and would shift every figure after it); left out when no step has one.
 */
export function humanFunnel(f: { flowId: string; nodes: FunnelNode[] }, version: number, labels: Readonly<Record<string, string>> = {}, listTitles: ListTitles = {}): string {
  const lines = [`funnel of flow ${flowWords(f.flowId)} (nodes of v${version}; journeys of every version counted)`, ''];
  // conv. = converted / entered, in %: the response rate of the customers who passed the node — what
  // an analyst compares between a campaign's groups (Double 11's limit node of each group), which
  // the counts alone left to a calculator.
  // Coupons used split by whether the journey was still in the flow: "coupons used 134, converted 0"
  // read as a contradiction where every use came after the journey had ended (persistence/flow-report.ts).
  const named = f.nodes.some((n) => Object.hasOwn(labels, n.nodeId));
  const rows = [['node', 'type', 'entered', 'waiting', 'sent', 'blocked', 'failed', 'responded', 'clicked', 'coupons used', 'after end', 'converted', 'conv.', 'exited', ...(named ? ['step name'] : [])]];
  for (const n of f.nodes) {
    const blocked = Object.values(n.blocked).reduce((a, b) => a + b, 0);
    const name = Object.hasOwn(labels, n.nodeId) ? labels[n.nodeId] : '';
    rows.push([n.nodeId, n.type, n.entered, n.waiting, n.sent, blocked, n.failed, n.responded, n.clicked, n.redeemed, n.redeemedAfterEnd, n.converted, n.entered ? pct(n.converted / n.entered) : '–', n.exited, ...(named ? [name] : [])].map(String));
  }
  const last = rows[0].length - 1;
  const width = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  // Ids and the step name read from the left; the figures line up on the right.
  for (const r of rows) lines.push(r.map((c, i) => (i < 2 || (named && i === last) ? c.padEnd(width[i]) : c.padStart(width[i]))).join('  ').trimEnd());
  lines.push('conv. = converted / entered: the share of the journeys through the node that reached the goal (entered counts journeys: a customer with two orders in a per-order flow is two)');
  lines.push('converted = journeys through the node that reached a goal (a goal exit, or an exitOn goal event such as order_paid) while still in the flow');
  if (f.nodes.some((n) => n.redeemedAfterEnd > 0)) {
    lines.push('coupons used = the step\'s coupons used in a paid order; after end = of those, used after the journey had ended, so never its conversion');
    for (const n of f.nodes) if (n.redeemedAfterEnd > 0) lines.push(`coupons of ${n.nodeId}: ${n.redeemedAfterEnd} of ${n.redeemed} used after the journey had ended (not counted as converted); ${n.redeemed - n.redeemedAfterEnd} while it was in the flow`);
  }
  // sent counts the messages still in the outbox too (the API's and CSV's `sent`): say how many of them have not gone out yet.
  const waitingOut = f.nodes.filter((n) => n.queued > 0);
  if (waitingOut.length) lines.push(`still in the outbox (counted in sent, not delivered yet): ${waitingOut.map((n) => `${n.nodeId} ${n.queued}`).join(', ')}`);
  // What the messages cost, per send step and in all: the campaign's money beside its counts (the send log's cost column, summed).
  const sum = (v: number[]) => v.reduce((s, x) => Math.round((s + x) * 1e6) / 1e6, 0);
  const costly = f.nodes.filter((n) => n.messageCost > 0);
  if (costly.length) lines.push(`message cost (messages sent): ${costly.map((n) => `${n.nodeId} ${yuan(n.messageCost)}`).join(', ')}; in all ${yuan(sum(costly.map((n) => n.messageCost)))}`);
  // …and the coupons used, at face value: the message cost alone is not the campaign's cost (the
  // experiment report's cost is both), and a return computed on it alone is overstated.
  const couponed = f.nodes.filter((n) => n.couponCost > 0);
  if (couponed.length) {
    lines.push(`coupon cost (face value of coupons used): ${couponed.map((n) => `${n.nodeId} ${yuan(n.couponCost)}`).join(', ')}; in all ${yuan(sum(couponed.map((n) => n.couponCost)))}`);
    lines.push(`cost in all (messages and coupons, as the experiment report counts cost): ${yuan(sum(f.nodes.flatMap((n) => [n.messageCost, n.couponCost])))}`);
  }
  // Why messages were held back or not delivered, per node: the reasons behind the two columns.
  for (const n of f.nodes) {
    const reasons = Object.entries(n.blocked).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    // In words with the count after them, as the failed line below (words hold commas, so "; " between).
    if (reasons.length) lines.push(`blocked at ${n.nodeId}: ${reasons.map(([r, c]) => `${heldBackWords(r, listTitles)} (${c})`).join('; ')}`);
    const errors = Object.entries(n.failedErrors);
    if (errors.length) lines.push(`failed at ${n.nodeId}: ${errors.map(([e, c]) => `${e} (${c})`).join('; ')}`);
  }
  return lines.join('\n');
}

const pct = percent;

/**
 * ROI in the text: below −100% only when incr.rev is negative (the arm's customers spent less than
 * the holdout's), and then the figure is that revenue gap over the cost: a launch arm's −¥424.05
 * over ¥5.30 of SMS read "-8101.02%", a loss of 81 times the cost that no message caused. Said as
 * "< -100%" (lost more than its cost) with a note; the JSON and CSV keep the ratio.
 */
const roiText = (roi: number | null) => (roi !== null && roi < -1 ? `< ${MINUS}100%` : pct(roi));

/**
 * The ROI of an arm whose lift over the control is within chance: its incr.rev is then as likely
 * noise as return, and over a small cost noise makes any ROI. A 24-hour reminder arm that sent 8
 * SMS (¥0.40) to 718 customers read "7532181.65%" beside a lift of −1.51 pp, p = 0.58. Marked,
 * not hidden: the figure is what the formula gives, and the JSON and CSV keep it.
 */
function chanceRoi(r: ExperimentReport): string | null {
  const arms = r.arms.filter((a) => roiWithinChance(a, r.alpha)).map((a) => a.arm);
  return arms.length ? `* ROI where the arm's lift is within chance (${arms.join(', ')}: p ≥ ${r.alpha}): its incr.rev may be noise, and over a small cost noise makes any ROI; judge the arm by its lift and p first` : null;
}

/**
 * What resp counts (persistence/experiment-store.ts loadArmData, docs/experiments.md): every
 * assigned customer who responded, the exposed or not (intention to treat: the holdout, exposed to
 * nothing, and a customer whose message was held back count from their assignment), as the API, the
 * CSV and the designer count it. Printed beside exposed it read as "of the exposed"; it is not.
 */
const respNote = (rate: boolean) => `resp = responders among all assigned (intention to treat: the holdout and customers whose message was not sent count from their assignment)${rate ? ', rate = resp / assigned' : ''}; exposed = assigned customers sent a message, so resp may exceed it`;

/**
 * `asOf`: the instant the figures are counted up to, in shop time (--at, or now, or a simulation's
 * last step): responses still arrive within the window, so the same command later gives other
 * figures, and a simulated report is of a day ahead of today.
 */
export function experimentReportText(r: ExperimentReport & { decision: { arm: string; winner: boolean; reason: string } | null }, asOf?: string): string {
  // Each arm's name as the designer's panel and the CSV's label column say it (邮件抢先看), last in
  // both tables: the text read only a, b, holdout, so which arm was the e-mail was a trip to the
  // canvas. Left out when no arm has a name.
  const named = r.arms.some((a) => a.label);
  const nameHead = named ? ['arm name'] : [];
  const nameOf = (a: ExperimentReport['arms'][number]) => (named ? [a.label ?? ''] : []);
  const lines = [`experiment ${r.experimentId} (flow ${flowWords(r.flowId)}, split ${r.nodeId}); responses: ${r.responses.join(', ')} within ${r.window}; control: ${r.control}${asOf ? `; as of ${asOf}` : ''}`, ''];
  if (!r.enoughData.enough) {
    // Rates, lift and P(best) of a handful of customers, or before the control's first response,
    // read like findings and are not: counts only, and why (the warning that says it is not repeated).
    const e = r.enoughData;
    const why =
      e.reason === 'no-baseline'
        ? `the control arm ${e.control} has no responses yet, so the customers each arm needs cannot be estimated`
        : `each arm needs at least ${e.minPerArm} customers to compare (fewest: ${e.fewest?.arm}, ${e.fewest?.assigned})`;
    const said = e.reason === 'no-baseline' ? 'no-baseline' : 'not-enough-data';
    lines.push(`not enough data yet: ${why}; rates, lift, p-values and P(best) are left out`, '');
    // The money is counted, not estimated: what the arm's responders paid and what its messages and
    // coupons cost are said from the first day (the CSV and the API gave them; the text did not).
    lines.push(['arm', 'assigned', 'resp', 'exposed', 'revenue', 'cost', ...nameHead].join('\t'));
    for (const a of r.arms) lines.push([`${a.arm}${a.holdout ? ' (holdout)' : ''}`, a.assigned, a.responders, a.exposed, yuanOrDash(a.revenue), yuanOrDash(a.cost), ...nameOf(a)].join('\t'));
    lines.push('', respNote(false));
    if (r.decision) lines.push('', `decision: ${r.decision.winner ? 'winner' : 'default arm'} ${r.decision.arm}: ${r.decision.reason}`);
    for (const w of r.warnings) if (w.code !== said) lines.push(`warning: ${w.message}`);
    lines.push('', `per-node funnel of the flow: rekindle report ${flowNameOf(r.flowId)} --funnel`);
    return lines.join('\n');
  }
  lines.push(['arm', 'assigned', 'resp', 'rate [95% CI]', 'exposed', 'revenue', 'rev/cust', 'cost', 'incr.rev', 'ROI', 'lift abs [CI]', 'p', 'P(best)', ...nameHead].join('\t'));
  for (const a of r.arms) {
    const v = a.vsControl;
    lines.push(
      [
        `${a.arm}${a.holdout ? ' (holdout)' : ''}`,
        a.assigned,
        a.responders,
        `${pct(a.responseRate)} [${pct(a.responseRateCi.low)}, ${pct(a.responseRateCi.high)}]`,
        a.exposed,
        // Money as money (¥, thousands separators): an analyst read 1234567.80 as a count.
        yuanOrDash(a.revenue),
        yuanOrDash(a.revenuePerCustomer),
        yuanOrDash(a.cost),
        yuanOrDash(a.incrementalRevenue),
        // A ratio in the JSON and CSV ((incr.rev - cost) / cost); in words a percentage, below -100% said as such (roiText),
        // marked * where the arm's lift is within chance (chanceRoi below).
        `${roiText(a.roi)}${roiWithinChance(a, r.alpha) ? ' *' : ''}`,
        // The absolute lift is a difference of two rates: percentage points, not % (the relative lift is the %).
        v ? `${points(v.absolute)} [${points(v.absoluteCi.low)}, ${points(v.absoluteCi.high)}], rel ${pct(v.relative)}` : 'control',
        v ? pValueText(v.pValue) : '',
        pct(a.probabilityBest),
        ...nameOf(a),
      ].join('\t'),
    );
  }
  lines.push('', respNote(true));
  lines.push('lift abs = the arm\'s rate minus the control\'s in percentage points (pp), with its 95% interval; rel = that over the control\'s rate, in %');
  if (r.arms.some((a) => a.roi !== null)) lines.push('', 'ROI = (incr.rev - cost) / cost, in %: 0% breaks even, -100% loses the whole cost; incr.rev is against the holdout');
  const belowCost = r.arms.filter((a) => a.roi !== null && a.roi < -1).map((a) => a.arm);
  if (belowCost.length)
    lines.push(
      `ROI < -100% (${belowCost.join(', ')}): incr.rev is negative, the arm's customers spent less than the holdout's; that gap over a small cost is no return of the message (see incr.rev and p; the ratio is in --json / --csv)`,
    );
  const chance = chanceRoi(r);
  if (chance) lines.push(chance);
  lines.push('', `${r.overall.test === 'z' ? 'two-proportion z-test' : `chi-square across ${r.arms.length} arms`}: ${pStatement(r.overall.pValue)} (${r.overall.significant ? 'significant' : 'not significant'} at ${r.alpha})`);
  if (r.decision) lines.push(`decision: ${r.decision.winner ? 'winner' : 'default arm'} ${r.decision.arm}: ${r.decision.reason}`);
  for (const w of r.warnings) lines.push(`warning: ${w.message}`);
  lines.push('', `per-node funnel of the flow: rekindle report ${flowNameOf(r.flowId)} --funnel`);
  return lines.join('\n');
}
