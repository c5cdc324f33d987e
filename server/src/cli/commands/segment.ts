import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { RuleFileError, readRuleFile } from '../../core/rules/rule-file.js';
import { isRuleFileArgument, RuleSet, segmentsDir, UnknownRuleError } from '../../core/rules/rule-set.js';
import { NoSqlFormError } from '../../core/rules/sql-compiler.js';
import { PastFactsNeedEngineError, runSegment, type EvaluatorChoice, type SegmentResult } from '../../core/segment/segmenter.js';
import { SqlSegmentStore } from '../../persistence/segment-store.js';
import { ordersAfter } from '../../persistence/orders-after.js';
import { shopIsoTime } from '../../core/engine/local-time.js';
import { CliError, commandContext, output, withDatabase } from '../context.js';
import type { RegisterCommand } from './index.js';

/** Which instant the command read the shop as: the clock's now, or --at; and how far its orders reach. */
interface ReadAs {
  readAs: 'now' | '--at';
  newestOrderAt: string | null;
}

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
  const def = readRuleFile(file, arg);
  return { rules: rules.withRule(def), name: def.name };
}

function human(r: SegmentResult & ReadAs): string {
  const lines = [`${r.rule}: ${r.count} customer${r.count === 1 ? '' : 's'} at ${r.at} (${r.readAs === 'now' ? 'now; ' : ''}${r.evaluator}, ${r.elapsedMs} ms)`];
  if (r.ordersAfterAt) {
    lines.push(`facts as of then: recomputed from the orders up to that time (${r.ordersAfterAt} later order${r.ordersAfterAt === 1 ? '' : 's'} left out); tags, consent and region are today's`);
    if (r.readAs === 'now' && r.newestOrderAt) lines.push(`the shop's orders reach ${r.newestOrderAt} (a simulation's purchases, or data ahead of this machine's clock): give --at to read it as of a later instant`);
  }
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
          const broken = rules.unusable().map((u) => ({ name: u.name, file: u.source, cause: u.cause }));
          output(ctx, { rules: list, broken }, () =>
            [
              ...list.map((r) => `${r.name}${r.sql ? '' : ' (engine only)'}${r.title ? `  ${r.title}` : ''}${r.description ? `  ${r.description}` : ''}`),
              // Said after the usable ones: the broken file's own problems are in `rekindle validate`.
              ...broken.map((b) => `${b.name} (cannot be used: ${b.cause})`),
            ].join('\n') || 'no rules in rules/segments/',
          );
          return;
        }
        if (o.evaluator !== undefined && o.evaluator !== 'sql' && o.evaluator !== 'engine') throw new CliError(`--evaluator: expected sql or engine, got "${o.evaluator}"`);
        const sample = Number(o.sample);
        if (!Number.isInteger(sample) || sample < 0) throw new CliError(`--sample: expected a whole number, got "${o.sample}"`);
        const { rules, name } = resolveRule(ctx.workspace.rulesDir, rule);
        const at = ctx.clock.now();
        const tz = ctx.workspace.shop.timezone;
        // Facts as of the instant read, --at or now alike: only the orders up to it count (a
        // simulated database holds orders after today's clock, which the stored facts include).
        const result: SegmentResult & ReadAs = await withDatabase(ctx, async (ds) => {
          const r = await runSegment(new SqlSegmentStore(ds), rules, name, {
            at,
            timezone: tz,
            lifecycle: ctx.workspace.shop.lifecycle,
            evaluator: o.evaluator as EvaluatorChoice | undefined,
            ids: !!o.list,
            sample,
            pastFacts: true,
          });
          const { newestAt } = r.ordersAfterAt ? await ordersAfter(ds, at) : { newestAt: null };
          return { ...r, readAs: o.at === undefined ? 'now' : '--at', newestOrderAt: newestAt === null ? null : shopIsoTime(newestAt, tz) };
        }, { existing: true });
        output(ctx, result, () => human(result));
      } catch (e) {
        if (e instanceof RuleFileError || e instanceof UnknownRuleError || e instanceof NoSqlFormError || e instanceof PastFactsNeedEngineError) throw new CliError(e.message);
        throw e;
      }
    });
};
