import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { operatorSpec } from './operators.js';
import { RULE_EXTENSIONS, RuleFileError, checkConditions, parseRuleFile, type ConditionNode, type RuleDefinition, type RuleProblem } from './rule-file.js';
import { closestName } from '../text/closest-name.js';

/**
 * The shop's named rules (`rules/segments/`), checked as a whole: every `{condition: x}` names a
 * rule of the set, and no rule reaches itself through references. The journey engine and the
 * segment command both evaluate rules through a set, so a reference means the same everywhere.
 */
export class RuleSet {
  private constructor(private readonly rules: Map<string, RuleDefinition>) {}

  static fromDefinitions(defs: RuleDefinition[]): RuleSet {
    const problems: RuleProblem[] = [];
    const rules = new Map<string, RuleDefinition>();
    for (const d of defs) {
      const prior = rules.get(d.name);
      if (prior) problems.push({ source: d.source, path: 'name', message: `rule "${d.name}" is also defined in ${prior.source}` });
      else rules.set(d.name, d);
    }
    const set = new RuleSet(rules);
    problems.push(...set.referenceProblems([...rules.values()]));
    if (problems.length) throw new RuleFileError(problems);
    return set;
  }

  /** Loads every `.yaml`/`.yml`/`.json` file of a folder (a missing folder is an empty set). */
  /**
   * `shownAs`: the folder as problems name it (the server says `rules/segments/x.yaml:5`, never the
   * path of its own rules folder on disk); default `dir` itself (the CLI, as the developer gave it).
   */
  static loadDir(dir: string, shownAs: string = dir): RuleSet {
    if (!existsSync(dir)) return RuleSet.fromDefinitions([]);
    const defs: RuleDefinition[] = [];
    const problems: RuleProblem[] = [];
    for (const f of readdirSync(dir).sort()) {
      if (!RULE_EXTENSIONS.includes(extname(f))) continue;
      const file = join(dir, f);
      try {
        defs.push(parseRuleFile(readFileSync(file, 'utf8'), join(shownAs, f)));
      } catch (e) {
        if (e instanceof RuleFileError) problems.push(...e.problems);
        else throw e;
      }
    }
    if (problems.length) throw new RuleFileError(problems);
    return RuleSet.fromDefinitions(defs);
  }

  /** A rule checked against this set without joining it (a rule file given on the command line). */
  withRule(def: RuleDefinition): RuleSet {
    const rules = new Map(this.rules);
    rules.set(def.name, def);
    const set = new RuleSet(rules);
    const problems = set.referenceProblems([def]);
    if (problems.length) throw new RuleFileError(problems);
    return set;
  }

  /** An unnamed rule from a request body (the designer's live count), checked against the set. */
  inline(conditions: unknown, source = '(request body)'): { set: RuleSet; name: string } {
    const { conditions: c, references } = checkConditions(conditions, source);
    const name = '$inline';
    return { set: this.withRule({ name, conditions: c, source, references }), name };
  }

  list(): RuleDefinition[] {
    return [...this.rules.values()].filter((r) => r.name !== '$inline').sort((a, b) => a.name.localeCompare(b.name));
  }

  get(name: string): RuleDefinition | undefined {
    return this.rules.get(name);
  }

  require(name: string): RuleDefinition {
    const r = this.rules.get(name);
    if (!r) throw new UnknownRuleError(name, this.list().map((x) => x.name));
    return r;
  }

  names(): string[] {
    return [...this.rules.keys()];
  }

  /** The conditions of a rule with every reference replaced by the referenced rule's conditions. */
  expand(name: string): ConditionNode {
    const walk = (n: ConditionNode): ConditionNode => {
      if ('all' in n) return { all: n.all.map(walk) };
      if ('any' in n) return { any: n.any.map(walk) };
      if ('not' in n) return { not: walk(n.not) };
      if ('condition' in n) return walk(this.require(n.condition).conditions);
      return n;
    };
    return walk(this.require(name).conditions);
  }

  /** Facts a rule reads, through its references too. */
  factsRead(name: string): string[] {
    const out = new Set<string>();
    forEachLeaf(this.expand(name), (l) => out.add(l.fact));
    return [...out];
  }

  /** Operators without a SQL form that a rule uses (empty: the rule compiles to one SQL query). */
  operatorsWithoutSql(name: string): string[] {
    const out = new Set<string>();
    forEachLeaf(this.expand(name), (l) => {
      if (!operatorSpec(l.operator)?.sql) out.add(l.operator);
    });
    return [...out];
  }

  private referenceProblems(defs: RuleDefinition[]): RuleProblem[] {
    const problems: RuleProblem[] = [];
    for (const d of defs) {
      for (const r of d.references) {
        if (!this.rules.has(r.name)) problems.push({ source: d.source, path: r.path, line: r.line, message: `references unknown rule "${r.name}"` });
      }
    }
    if (problems.length) return problems;
    // Depth-first search for a path that comes back to where it started.
    for (const d of defs) {
      const cycle = this.cycleFrom(d.name);
      if (cycle) {
        const first = d.references.find((r) => r.name === cycle[1]);
        problems.push({ source: d.source, path: first?.path ?? 'conditions', line: first?.line, message: `reference cycle: ${cycle.join(' → ')}` });
      }
    }
    return problems;
  }

  private cycleFrom(start: string): string[] | null {
    // Each rule is entered once: a shared sub-rule reached by many paths is not re-walked.
    const seen = new Set<string>();
    const visit = (name: string, trail: string[]): string[] | null => {
      for (const r of this.rules.get(name)?.references ?? []) {
        if (r.name === start) return [...trail, r.name];
        if (seen.has(r.name)) continue;
        seen.add(r.name);
        const found = visit(r.name, [...trail, r.name]);
        if (found) return found;
      }
      return null;
    };
    return visit(start, [start]);
  }
}

export class UnknownRuleError extends Error {
  constructor(readonly rule: string, known: string[]) {
    const near = closestName(rule, known);
    super(`unknown rule "${rule}" (rules: ${known.join(', ') || 'none'})${near ? `: did you mean "${near}"?` : ''}`);
  }
}

export function forEachLeaf(n: ConditionNode, fn: (l: { fact: string; operator: string; value: unknown }) => void): void {
  if ('all' in n) n.all.forEach((c) => forEachLeaf(c, fn));
  else if ('any' in n) n.any.forEach((c) => forEachLeaf(c, fn));
  else if ('not' in n) forEachLeaf(n.not, fn);
  else if (!('condition' in n)) fn(n);
}

/** The segment folder of a workspace's rules directory. */
export function segmentsDir(rulesDir: string): string {
  return join(rulesDir, 'segments');
}

/** How the server names the segments folder in what it answers: inside the shop's rules folder, not where that lies on its disk. */
export const SEGMENTS_SHOWN_AS = 'rules/segments';

export function isRuleFileArgument(arg: string): boolean {
  return RULE_EXTENSIONS.includes(extname(arg)) || basename(arg) !== arg;
}
