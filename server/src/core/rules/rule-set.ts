import { existsSync, readdirSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { operatorSpec } from './operators.js';
import { RULE_EXTENSIONS, RuleFileError, checkConditions, readRuleFile, type ConditionNode, type RuleDefinition, type RuleProblem } from './rule-file.js';
import { closestName } from '../text/closest-name.js';

/**
 * The shop's named rules (`rules/segments/`), checked as a whole: every `{condition: x}` names a
 * rule of the set, and no rule reaches itself through references. The journey engine and the
 * segment command both evaluate rules through a set, so a reference means the same everywhere.
 */
export class RuleSet {
  /**
   * `broken`: rule files of the folder that cannot be used as they are (they do not parse, name an
   * unknown rule, take part in a reference cycle, or repeat a name), by rule name (the file name).
   * One such file used to make the whole folder fail to load, so every segment, flow, count and
   * publish said "unknown rule" or the broken file's problem; now only what reaches it fails,
   * naming the file (BrokenRuleError), and the file's own problems are said once (problems()).
   */
  private constructor(
    private readonly rules: Map<string, RuleDefinition>,
    private readonly broken: ReadonlyMap<string, BrokenRule> = new Map(),
  ) {}

  /**
   * Rules checked as a whole: a duplicate name, an unknown reference or a cycle throws, naming
   * every place. `broken`: files known not to parse (`rekindle validate` reports them itself), so
   * a rule using one is told that file is the cause, not that the rule is unknown.
   */
  static fromDefinitions(defs: RuleDefinition[], broken: BrokenRule[] = []): RuleSet {
    const problems: RuleProblem[] = [];
    const rules = new Map<string, RuleDefinition>();
    for (const d of defs) {
      const prior = rules.get(d.name);
      if (prior) problems.push({ source: d.source, path: 'name', message: `rule "${d.name}" is also defined in ${prior.source}` });
      else rules.set(d.name, d);
    }
    const set = new RuleSet(rules, new Map(broken.map((b) => [b.name, b])));
    problems.push(...set.referenceProblems([...rules.values()]));
    if (problems.length) throw new RuleFileError(problems);
    return set;
  }

  /**
   * The rules of a folder, each file on its own: those with problems are kept aside as broken
   * (`broken`: files that did not parse, by rule name) and never stop the others from loading.
   */
  static tolerant(defs: RuleDefinition[], broken: BrokenRule[] = []): RuleSet {
    const out = new Map<string, BrokenRule>(broken.map((b) => [b.name, b]));
    const rules = new Map<string, RuleDefinition>();
    for (const d of defs) {
      const prior = rules.get(d.name) ?? out.get(d.name);
      if (prior) out.set(`${d.name}\u0000${d.source}`, { name: d.name, source: d.source, problems: [{ source: d.source, path: 'name', message: `rule "${d.name}" is also defined in ${prior.source}` }] });
      else rules.set(d.name, d);
    }
    const set = new RuleSet(rules, out);
    // A reference to a name no file has, or a cycle, is the referring file's own mistake.
    for (const d of [...rules.values()]) {
      const unknown = d.references.filter((r) => !rules.has(r.name) && !out.has(r.name));
      const problems = unknown.map((r) => ({ source: d.source, path: r.path, line: r.line, message: `references unknown rule "${r.name}"` }));
      if (problems.length) out.set(d.name, { name: d.name, source: d.source, problems });
    }
    for (const d of [...rules.values()]) {
      if (out.has(d.name)) continue;
      const cycle = set.cycleFrom(d.name);
      if (!cycle) continue;
      const first = d.references.find((r) => r.name === cycle[1]);
      out.set(d.name, { name: d.name, source: d.source, problems: [{ source: d.source, path: first?.path ?? 'conditions', line: first?.line, message: `reference cycle: ${cycle.join(' → ')}` }] });
    }
    for (const name of out.keys()) rules.delete(name);
    return set;
  }

  /** Loads every `.yaml`/`.yml`/`.json` file of a folder (a missing folder is an empty set). */
  /**
   * `shownAs`: the folder as problems name it (the server says `rules/segments/x.yaml:5`, never the
   * path of its own rules folder on disk); default `dir` itself (the CLI, as the developer gave it).
   * A file with a mistake does not stop the others: see `tolerant`.
   */
  static loadDir(dir: string, shownAs: string = dir): RuleSet {
    if (!existsSync(dir)) return RuleSet.fromDefinitions([]);
    const defs: RuleDefinition[] = [];
    const broken: BrokenRule[] = [];
    for (const f of readdirSync(dir).sort()) {
      if (!RULE_EXTENSIONS.includes(extname(f))) continue;
      const file = join(dir, f);
      const source = join(shownAs, f);
      try {
        defs.push(readRuleFile(file, source));
      } catch (e) {
        if (e instanceof RuleFileError) broken.push({ name: basename(f, extname(f)), source, problems: e.problems });
        else throw e;
      }
    }
    return RuleSet.tolerant(defs, broken);
  }

  /**
   * This set, with the last working definition (from `prev`) of each rule that is broken here:
   * a server whose segment file is broken by a pull goes on selecting with what it had.
   */
  keepingFrom(prev: RuleSet): RuleSet {
    const kept = [...this.broken.values()].filter((b) => prev.rules.has(b.name) && !prev.brokenCause(b.name));
    if (!kept.length) return this;
    const keptNames = new Set(kept.map((b) => b.name));
    const defs = [...this.rules.values(), ...kept.map((b) => prev.rules.get(b.name)!)];
    const broken = [...this.broken.entries()].filter(([k]) => !keptNames.has(k)).map(([, b]) => b);
    return RuleSet.tolerant(defs, broken);
  }

  /** The problems of the broken files, each said once, in file order. */
  problems(): RuleProblem[] {
    return [...this.broken.values()].sort((a, b) => a.source.localeCompare(b.source)).flatMap((b) => b.problems);
  }

  /**
   * Why a rule cannot be used: its own file is broken, or it reaches (through references) a rule
   * whose file is; null when it can be used or is not known at all.
   */
  brokenCause(name: string): { rule: string; via: string | null; file: BrokenRule } | null {
    const own = this.broken.get(name);
    if (own) return { rule: name, via: null, file: own };
    const seen = new Set<string>();
    const walk = (n: string): BrokenRule | null => {
      for (const r of this.rules.get(n)?.references ?? []) {
        if (seen.has(r.name)) continue;
        seen.add(r.name);
        const b = this.broken.get(r.name) ?? walk(r.name);
        if (b) return b;
      }
      return null;
    };
    const b = this.rules.has(name) ? walk(name) : null;
    return b ? { rule: name, via: b.name, file: b } : null;
  }

  /** A rule checked against this set without joining it (a rule file given on the command line). */
  withRule(def: RuleDefinition): RuleSet {
    const rules = new Map(this.rules);
    rules.set(def.name, def);
    const set = new RuleSet(rules, this.broken);
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

  /** The rules that can be used (not broken, reaching no broken rule). */
  list(): RuleDefinition[] {
    return [...this.rules.values()].filter((r) => r.name !== '$inline' && !this.brokenCause(r.name)).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The rules that cannot be used, each with its cause (the designer lists them apart). */
  unusable(): { name: string; source: string; cause: string; problems: RuleProblem[] }[] {
    const names = [...new Set([...this.broken.values()].map((b) => b.name)), ...[...this.rules.keys()].filter((n) => n !== '$inline' && this.brokenCause(n))];
    return [...new Set(names)].sort().map((name) => {
      const c = this.brokenCause(name)!;
      return { name, source: this.rules.get(name)?.source ?? c.file.source, cause: brokenCauseText(c), problems: c.file.problems };
    });
  }

  get(name: string): RuleDefinition | undefined {
    return this.rules.get(name);
  }

  require(name: string): RuleDefinition {
    const cause = this.brokenCause(name);
    if (cause) throw new BrokenRuleError(cause);
    const r = this.rules.get(name);
    if (!r) throw new UnknownRuleError(name, this.list().map((x) => x.name));
    return r;
  }

  /** Every rule name of the folder, broken ones too (a flow naming one is told it is broken, not unknown). */
  names(): string[] {
    return [...new Set([...this.rules.keys(), ...[...this.broken.values()].map((b) => b.name)])];
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
        const broken = this.brokenCause(r.name);
        if (broken) problems.push({ source: d.source, path: r.path, line: r.line, message: `references rule "${r.name}", which cannot be used: ${brokenCauseText(broken)}` });
        else if (!this.rules.has(r.name)) problems.push({ source: d.source, path: r.path, line: r.line, message: `references unknown rule "${r.name}"` });
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

/** A rule file of the folder that cannot be used as it is, with its problems. */
export interface BrokenRule {
  name: string;
  source: string;
  problems: RuleProblem[];
}

/**
 * `rules/segments/mobile-customers.yaml:7 has a mistake` or, for a rule reaching one,
 * `it uses "mobile-customers", whose file rules/segments/mobile-customers.yaml:7 has a mistake`.
 */
export function brokenCauseText(c: { via: string | null; file: BrokenRule }): string {
  const where = `${c.file.source}${c.file.problems[0]?.line ? `:${c.file.problems[0].line}` : ''}`;
  return c.via ? `it uses "${c.via}", whose file ${where} has a mistake` : `its file ${where} has a mistake`;
}

/**
 * A rule that cannot be used, named with the broken file that is the cause and that file's
 * problems (a RuleFileError, so every caller that reports a rule file's problems reports it).
 */
export class BrokenRuleError extends RuleFileError {
  constructor(readonly brokenBy: { rule: string; via: string | null; file: BrokenRule }) {
    super(brokenBy.file.problems);
    this.message = `segment "${brokenBy.rule}" cannot be used: ${brokenCauseText(brokenBy)}:\n${this.message}`;
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
