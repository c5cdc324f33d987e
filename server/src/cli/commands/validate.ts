import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, isAbsolute, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { FLOW_FILE_SUFFIX, LAYOUT_FILE_SUFFIX, layoutFileFor, parseFlowFile, parseLayoutFile } from '../../core/flow/flow-file.js';
import { errorCount, formatProblem, type FlowProblem } from '../../core/flow/problems.js';
import { ruleCatalogFromNames, type RuleCatalog } from '../../core/flow/rule-references.js';
import { validateFlowText } from '../../core/flow/validate-flow.js';
import { parseRuleFile, RULE_EXTENSIONS, RuleFileError, type RuleDefinition, type RuleProblem } from '../../core/rules/rule-file.js';
import { RuleSet } from '../../core/rules/rule-set.js';
import { CliError, commandContext, output } from '../context.js';
import type { RegisterCommand } from './index.js';

/**
 * `rekindle validate [paths…]`: every problem of the shop's flow, layout and rule files, each
 * with file, line and node id, e.g.
 *   rules/flows/payment-reminder.flow.yaml:23 node remind-2: edge "next" points to missing node "wait-x"
 * Exit code 1 when there is any error (warnings alone pass), so CI can run it.
 */

export interface FileReport {
  file: string;
  problems: FlowProblem[];
}

type Kind = 'flow' | 'layout' | 'rule';

function kindOf(file: string): Kind | null {
  if (file.endsWith(FLOW_FILE_SUFFIX)) return 'flow';
  if (file.endsWith(LAYOUT_FILE_SUFFIX)) return 'layout';
  return RULE_EXTENSIONS.includes(extname(file)) ? 'rule' : null;
}

/** Files of a folder worth validating: flows, their layouts, and rule files. */
function filesIn(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile() && kindOf(f) !== null);
}

function defaultFiles(rulesDir: string): string[] {
  const out: string[] = [];
  for (const sub of ['flows', 'segments']) if (existsSync(join(rulesDir, sub))) out.push(...filesIn(join(rulesDir, sub)));
  return out;
}

function expand(paths: string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    const abs = resolve(p);
    if (!existsSync(abs)) throw new CliError(`${p}: no such file or folder`);
    if (statSync(abs).isDirectory()) out.push(...filesIn(abs));
    else if (kindOf(abs)) out.push(abs);
    else throw new CliError(`${p}: not a flow (*${FLOW_FILE_SUFFIX}), layout (*${LAYOUT_FILE_SUFFIX}) or rule file (${RULE_EXTENSIONS.join(', ')})`);
  }
  return [...new Set(out)];
}

/** Rule names are the file names of rules/segments/, so a broken rule file still counts as existing. */
function catalogFor(rulesDir: string): RuleCatalog {
  const dir = join(rulesDir, 'segments');
  const names = existsSync(dir) ? readdirSync(dir).filter((f) => RULE_EXTENSIONS.includes(extname(f))).map((f) => basename(f, extname(f))) : [];
  return ruleCatalogFromNames(names);
}

const fromRuleProblem = (p: RuleProblem): FlowProblem => ({ line: p.line ?? 0, nodeId: null, path: p.path, message: p.message, severity: 'error' });

/** Rule files one by one, then as a set (references to unknown rules, reference cycles). */
function validateRules(files: string[], rulesDir: string): Map<string, FlowProblem[]> {
  const out = new Map<string, FlowProblem[]>(files.map((f) => [f, []]));
  const defs: RuleDefinition[] = [];
  for (const file of files) {
    try {
      defs.push(parseRuleFile(readFileSync(file, 'utf8'), file));
    } catch (e) {
      if (!(e instanceof RuleFileError)) throw e;
      out.get(file)!.push(...e.problems.map(fromRuleProblem));
    }
  }
  // The set is the whole segments folder (a reference may point to a rule not being validated).
  const others: RuleDefinition[] = [];
  const dir = join(rulesDir, 'segments');
  if (existsSync(dir)) {
    for (const f of filesIn(dir)) {
      if (files.includes(f)) continue;
      try {
        others.push(parseRuleFile(readFileSync(f, 'utf8'), f));
      } catch {
        // reported when that file is validated itself
      }
    }
  }
  try {
    RuleSet.fromDefinitions([...others, ...defs]);
  } catch (e) {
    if (!(e instanceof RuleFileError)) throw e;
    for (const p of e.problems) out.get(p.source)?.push(fromRuleProblem(p));
  }
  return out;
}

export function validateFiles(files: string[], rulesDir: string): Map<string, FlowProblem[]> {
  const rules = catalogFor(rulesDir);
  const results = validateRules(files.filter((f) => kindOf(f) === 'rule'), rulesDir);
  for (const file of files) {
    const kind = kindOf(file);
    if (kind === 'flow') {
      results.set(file, validateFlowText(readFileSync(file, 'utf8'), file, rules).problems);
      // The layout belongs to the flow: check it too, even when only the flow was named.
      const layout = layoutFileFor(file);
      if (existsSync(layout) && !files.includes(layout)) results.set(layout, validateLayout(layout));
    } else if (kind === 'layout') results.set(file, validateLayout(file));
  }
  return results;
}

function validateLayout(file: string): FlowProblem[] {
  const flowFile = file.slice(0, -LAYOUT_FILE_SUFFIX.length) + FLOW_FILE_SUFFIX;
  const flow = existsSync(flowFile) ? parseFlowFile(readFileSync(flowFile, 'utf8'), flowFile).flow : undefined;
  return parseLayoutFile(readFileSync(file, 'utf8'), file, flow).problems;
}

/** Paths as the user typed them: relative to the working folder when inside it. */
function display(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

export const registerValidate: RegisterCommand = (program) => {
  program
    .command('validate')
    .description('check flow, layout and rule files: every problem with file, line and node id (exit 1 on errors)')
    .argument('[paths...]', 'files or folders (default: rules/flows/ and rules/segments/)')
    .action((paths: string[], _opts: unknown, cmd: Command) => {
      const ctx = commandContext(cmd);
      const files = paths.length ? expand(paths) : defaultFiles(ctx.workspace.rulesDir);
      if (!files.length) throw new CliError(`nothing to validate in ${display(ctx.workspace.rulesDir)}`);
      const results = validateFiles(files, ctx.workspace.rulesDir);
      const reports: FileReport[] = [...results].map(([file, problems]) => ({ file: display(file), problems }));
      const errors = reports.reduce((n, r) => n + errorCount(r.problems), 0);
      const warnings = reports.reduce((n, r) => n + r.problems.length, 0) - errors;
      output(ctx, { files: reports, errors, warnings }, () => {
        const lines = reports.flatMap((r) => r.problems.map((p) => formatProblem(r.file, p)));
        lines.push(`${reports.length} file${reports.length === 1 ? '' : 's'} checked: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`);
        return lines.join('\n');
      });
      if (errors) throw new CliError(`validation failed: ${errors} error${errors === 1 ? '' : 's'}`);
    });
};
