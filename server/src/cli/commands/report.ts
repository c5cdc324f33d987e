import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { ExperimentReport } from '../../core/experiment/report.js';
import { RuleSet, segmentsDir } from '../../core/rules/rule-set.js';
import { ExperimentNotFoundError, experimentNode, experimentReport, findExperiment, reportCsv } from '../../persistence/experiment-store.js';
import { FlowNotFoundError, InvalidFlowError, loadValidFlow } from '../../runtime/flow-files.js';
import { CliError, commandContext, output, withDatabase } from '../context.js';

/** `rekindle report <flow file or experiment id>`: per-arm figures of an experiment. */
export function registerReport(program: Command): void {
  program
    .command('report <target>')
    .description('experiment report: per arm assigned, exposed, responders, rate (95% Wilson), revenue, cost, ROI, lift, p-value, P(best), sample-ratio and power warnings')
    .option('--csv <file>', 'also write the per-arm figures as CSV ("-" for stdout instead of the report)')
    .option('--at <instant>', 'report as of this instant (ISO date-time with offset; default now)')
    .action(async (target: string, o: { csv?: string; at?: string }, cmd: Command) => {
      const ctx = commandContext(cmd, o.at);
      await withDatabase(ctx, async (ds) => {
        let flowId: string;
        let node;
        try {
          if (target.endsWith('.flow.yaml')) {
            const { flow, file } = loadValidFlow(ctx.workspace.rulesDir, target, RuleSet.loadDir(segmentsDir(ctx.workspace.rulesDir)));
            node = experimentNode(flow);
            if (!node) throw new CliError(`${file} has no split node with an experiment block`);
            flowId = flow.id;
          } else {
            const found = await findExperiment(ds, target);
            flowId = found.flow.id;
            node = found.node;
          }
        } catch (e) {
          if (e instanceof ExperimentNotFoundError || e instanceof FlowNotFoundError) throw new CliError(e.message);
          if (e instanceof InvalidFlowError) throw new CliError(`${e.file} has problems; run rekindle validate`);
          throw e;
        }
        const r = await experimentReport(ds, flowId, node, ctx.clock.now());
        if (o.csv === '-') return void process.stdout.write(reportCsv(r));
        if (o.csv) writeFileSync(o.csv, reportCsv(r));
        output(ctx, r, () => human(r));
      });
    });
}

const pct = (v: number | null | undefined) => (v === null || v === undefined ? '–' : `${(v * 100).toFixed(2)}%`);
const num = (v: number | null | undefined, d = 2) => (v === null || v === undefined ? '–' : v.toFixed(d));

function human(r: ExperimentReport & { decision: { arm: string; winner: boolean; reason: string } | null }): string {
  const lines = [`experiment ${r.experimentId} (flow ${r.flowId}, split ${r.nodeId}); responses: ${r.responses.join(', ')} within ${r.window}; control: ${r.control}`, ''];
  if (!r.enoughData.enough) {
    // Rates, lift and P(best) of a handful of customers read like findings and are not: counts only.
    lines.push(`not enough data yet: each arm needs at least ${r.enoughData.minPerArm} customers to compare (fewest: ${r.enoughData.fewest?.arm}, ${r.enoughData.fewest?.assigned}); rates, lift, p-values and P(best) are left out`, '');
    lines.push(['arm', 'assigned', 'exposed', 'resp'].join('\t'));
    for (const a of r.arms) lines.push([`${a.arm}${a.holdout ? ' (holdout)' : ''}`, a.assigned, a.exposed, a.responders].join('\t'));
    if (r.decision) lines.push('', `decision: ${r.decision.winner ? 'winner' : 'default arm'} ${r.decision.arm}: ${r.decision.reason}`);
    for (const w of r.warnings.slice(1)) lines.push(`warning: ${w}`);
    return lines.join('\n');
  }
  lines.push(['arm', 'assigned', 'exposed', 'resp', 'rate [95% CI]', 'revenue', 'rev/cust', 'cost', 'incr.rev', 'ROI', 'lift abs [CI]', 'p', 'P(best)'].join('\t'));
  for (const a of r.arms) {
    const v = a.vsControl;
    lines.push(
      [
        `${a.arm}${a.holdout ? ' (holdout)' : ''}`,
        a.assigned,
        a.exposed,
        a.responders,
        `${pct(a.responseRate)} [${pct(a.responseRateCi.low)}, ${pct(a.responseRateCi.high)}]`,
        num(a.revenue),
        num(a.revenuePerCustomer),
        num(a.cost),
        num(a.incrementalRevenue),
        a.roi === null ? '–' : num(a.roi),
        v ? `${pct(v.absolute)} [${pct(v.absoluteCi.low)}, ${pct(v.absoluteCi.high)}], rel ${pct(v.relative)}` : 'control',
        v ? v.pValue.toFixed(4) : '',
        pct(a.probabilityBest),
      ].join('\t'),
    );
  }
  lines.push('', `${r.overall.test === 'z' ? 'two-proportion z-test' : `chi-square across ${r.arms.length} arms`}: p = ${r.overall.pValue.toFixed(4)} (${r.overall.significant ? 'significant' : 'not significant'} at ${r.alpha})`);
  if (r.decision) lines.push(`decision: ${r.decision.winner ? 'winner' : 'default arm'} ${r.decision.arm}: ${r.decision.reason}`);
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  return lines.join('\n');
}
