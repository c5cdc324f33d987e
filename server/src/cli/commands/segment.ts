import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { RuleFileError, parseRuleFile } from '../../core/rules/rule-file.js';
import { isRuleFileArgument, RuleSet, segmentsDir, UnknownRuleError } from '../../core/rules/rule-set.js';
import { NoSqlFormError } from '../../core/rules/sql-compiler.js';
import { PastFactsNeedEngineError, runSegment, type EvaluatorChoice, type SegmentResult } from '../../core/segment/segmenter.js';
import { SqlSegmentStore } from '../../persistence/segment-store.js';
import { CliError, commandContext, output, withDatabase } from '../context.js';
import type { RegisterCommand } from './index.js';

interface SegmentOptions {
  at?: string;
  evaluator?: string;
  list?: boolean;
  sample?: string;
}

/** The rule set of the workspace, plus the rule given as a file path if it is one. */
function resolveRule(rulesDir: string, arg: string): { rules: RuleSet; name: string } {
  const rules = RuleSet.loadDir(segmentsDir(rulesDir));
  if (!isRuleFileArgument(arg) || (!existsSync(arg) && rules.get(arg))) return { rules, name: rules.require(arg).name };
  const file = resolve(arg);
  if (!existsSync(file)) throw new CliError(`rule file ${arg} does not exist`);
  const def = parseRuleFile(readFileSync(file, 'utf8'), arg);
  return { rules: rules.withRule(def), name: def.name };
}

function human(r: SegmentResult): string {
  const lines = [`${r.rule}: ${r.count} customer${r.count === 1 ? '' : 's'} at ${r.at} (${r.evaluator}, ${r.elapsedMs} ms)`];
  if (r.ordersAfterAt) lines.push(`facts as of then: recomputed from the orders up to that time (${r.ordersAfterAt} later order${r.ordersAfterAt === 1 ? '' : 's'} left out); tags, consent and region are today's`);
  if (r.sample.length) {
    lines.push(`first ${r.sample.length}:`);
    for (const c of r.sample) {
      const facts = Object.entries(c.facts)
        .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('|') : typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(2) : v}`)
        .join(' ');
      lines.push(`  #${c.id} ${c.externalId ?? '-'} ${c.name ?? ''}  ${facts}`);
    }
  }
  if (r.ids) lines.push(`ids: ${r.ids.join(' ')}`);
  return lines.join('\n');
}

export const registerSegment: RegisterCommand = (program: Command) => {
  program
    .command('segment')
    .description('count the customers a segment rule matches (no rule: list the rules of rules/segments/)')
    .argument('[rule]', 'a rule name from rules/segments/, or a rule file')
    .option('--at <time>', 'evaluate at this ISO-8601 instant (default: now)')
    .option('--evaluator <sql|engine>', 'force the compiled SQL or json-rules-engine per customer')
    .option('--list', 'print every matching customer id')
    .option('--sample <n>', 'number of sample customers to show', '10')
    .action(async (rule: string | undefined, o: SegmentOptions, cmd: Command) => {
      const ctx = commandContext(cmd, o.at);
      try {
        if (!rule) {
          const rules = RuleSet.loadDir(segmentsDir(ctx.workspace.rulesDir));
          const list = rules.list().map((r) => ({ name: r.name, title: r.title ?? null, description: r.description?.trim() ?? null, facts: rules.factsRead(r.name), sql: rules.operatorsWithoutSql(r.name).length === 0 }));
          output(ctx, { rules: list }, () => list.map((r) => `${r.name}${r.sql ? '' : ' (engine only)'}${r.title ? `  ${r.title}` : ''}${r.description ? `  ${r.description}` : ''}`).join('\n') || 'no rules in rules/segments/');
          return;
        }
        if (o.evaluator !== undefined && o.evaluator !== 'sql' && o.evaluator !== 'engine') throw new CliError(`--evaluator: expected sql or engine, got "${o.evaluator}"`);
        const sample = Number(o.sample);
        if (!Number.isInteger(sample) || sample < 0) throw new CliError(`--sample: expected a whole number, got "${o.sample}"`);
        const { rules, name } = resolveRule(ctx.workspace.rulesDir, rule);
        const result = await withDatabase(ctx, (ds) =>
          runSegment(new SqlSegmentStore(ds), rules, name, {
            at: ctx.clock.now(),
            timezone: ctx.workspace.shop.timezone,
            lifecycle: ctx.workspace.shop.lifecycle,
            evaluator: o.evaluator as EvaluatorChoice | undefined,
            ids: !!o.list,
            sample,
            pastFacts: o.at !== undefined,
          }), { existing: true });
        output(ctx, result, () => human(result));
      } catch (e) {
        if (e instanceof RuleFileError || e instanceof UnknownRuleError || e instanceof NoSqlFormError || e instanceof PastFactsNeedEngineError) throw new CliError(e.message);
        throw e;
      }
    });
};
