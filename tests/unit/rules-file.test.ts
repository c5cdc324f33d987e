import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { MS_PER_DAY } from '../../server/src/core/clock.js';
import { deriveFacts } from '../../server/src/core/facts/derive.js';
import type { StoredFacts } from '../../server/src/core/facts/stored-facts.js';
import { defaultShopConfig } from '../../server/src/core/shop-config.js';
import { EngineEvaluator } from '../../server/src/core/rules/engine-evaluator.js';
import { parseRuleFile, RuleFileError, ruleFileText } from '../../server/src/core/rules/rule-file.js';
import { RuleSet } from '../../server/src/core/rules/rule-set.js';
import { compileRule, NoSqlFormError } from '../../server/src/core/rules/sql-compiler.js';
import { SQLITE } from '../../server/src/core/rules/sql-dialect.js';
import { tempDir } from '../support/temp-dirs.js';

const AT = Date.parse('2026-11-20T00:00:00Z');
const TZ = 'Asia/Shanghai';

function stored(over: Partial<StoredFacts> = {}): StoredFacts {
  return {
    customerId: 1, orderCount: 0, totalSpent: 0, firstOrderAt: null, lastOrderAt: null, unpaidOrderCount: 0, lastUnpaidAt: null,
    categories: [], categorySeasons: [], double11Years: [], province: null, city: null, device: null, tags: [],
    consentSms: null, consentEmail: null, consentWechat: null, consentWangwang: null, consentPush: null, ...over,
  };
}
const facts = (over: Partial<StoredFacts> = {}, at = AT) => deriveFacts(stored(over), { at, timezone: TZ, lifecycle: defaultShopConfig.lifecycle });

function problemOf(fn: () => unknown) {
  try {
    fn();
  } catch (e) {
    if (e instanceof RuleFileError) return { message: e.message, problems: e.problems };
    throw e;
  }
  throw new Error('expected a RuleFileError');
}

const yaml = (name: string, body: string) => `name: ${name}\nconditions:\n${body}`;

describe('rule files', () => {
  it('names the file, line and path of an unknown fact', () => {
    const text = yaml('x', '  all:\n    - fact: orderCount\n      operator: equal\n      value: 1\n    - fact: aov\n      operator: lessThan\n      value: 3\n    - fact: ordercount\n      operator: equal\n      value: 2\n');
    const p = problemOf(() => parseRuleFile(text, 'rules/segments/x.yaml'));
    expect(p.problems).toEqual([expect.objectContaining({ source: 'rules/segments/x.yaml', path: 'conditions.all[2].fact', line: 10 })]);
    expect(p.message).toMatch(/^rules\/segments\/x\.yaml:10: conditions\.all\[2\]\.fact: unknown fact "ordercount"/);
  });

  it('names an unknown operator, an operator that does not fit the fact, and a bad value', () => {
    const text = yaml('x', '  any:\n    - fact: aov\n      operator: greaterThen\n      value: 1\n    - fact: tags\n      operator: lessThan\n      value: 3\n    - fact: lifecycleStage\n      operator: equal\n      value: asleep\n');
    const p = problemOf(() => parseRuleFile(text, 'x.yaml'));
    expect(p.problems.map((x) => [x.path, x.line])).toEqual([
      ['conditions.any[0].operator', 5],
      ['conditions.any[1].operator', 8],
      ['conditions.any[2].value', 12],
    ]);
    expect(p.message).toContain('unknown operator "greaterThen"');
    expect(p.message).toContain('operator lessThan does not apply to tags');
    expect(p.message).toContain('expected one of prospect, active, silent, sleeping, lost');
  });

  it('requires the file name to equal the rule name, and rejects path/params (no expressions)', () => {
    expect(problemOf(() => parseRuleFile(yaml('other', '  all: []\n'), 'dir/x.yaml')).message).toContain('must equal the file name "x"');
    const p = problemOf(() => parseRuleFile(yaml('x', "  all:\n    - fact: tags\n      operator: contains\n      value: vip\n      path: $..a\n"), 'x.yaml'));
    expect(p.problems[0].path).toBe('conditions.all[0].path');
  });

  it('accepts JSON and converts ISO dates to epoch ms', () => {
    const def = parseRuleFile(JSON.stringify({ name: 'j', conditions: { all: [{ fact: 'lastOrderAt', operator: 'greaterThan', value: '2026-01-01T00:00:00Z' }] } }), 'j.json');
    expect(def.conditions).toEqual({ all: [{ fact: 'lastOrderAt', operator: 'greaterThan', value: Date.parse('2026-01-01T00:00:00Z') }] });
  });

  it('reads a segment title, and names the file, line and field of a title that is not text', () => {
    expect(parseRuleFile('name: x\ntitle: 高价值沉睡客户\ndescription: 已沉睡的高价值客户\nconditions: {all: []}\n', 'x.yaml')).toMatchObject({ title: '高价值沉睡客户', description: '已沉睡的高价值客户' });
    const p = problemOf(() => parseRuleFile('name: x\ntitle:\n  - 高价值\nconditions: {all: []}\n', 'rules/segments/x.yaml'));
    expect(p.problems).toEqual([expect.objectContaining({ source: 'rules/segments/x.yaml', line: 3, path: 'title' })]);
    expect(p.message).toMatch(/^rules\/segments\/x\.yaml:3: title: expected the segment's name in words/);
    expect(problemOf(() => parseRuleFile('name: x\ntitle: 12\nconditions: {all: []}\n', 'x.yaml')).message).toContain('x.yaml:2: title:');
  });

  it('every shipped segment has a Chinese title and description for the designer to show', () => {
    const rules = RuleSet.loadDir(join(process.cwd(), 'rules', 'segments')).list();
    expect(rules.length).toBeGreaterThan(20);
    const untitled = rules.filter((r) => !/\p{Script=Han}/u.test(r.title ?? '') || !/\p{Script=Han}/u.test(r.description ?? '')).map((r) => r.name);
    expect(untitled).toEqual([]);
    expect(new Set(rules.map((r) => r.title)).size).toBe(rules.length);
  });

  it('writes the title after the name in the canonical text', () => {
    expect(ruleFileText({ name: 'x', title: '沉睡客户', conditions: { all: [] } })).toBe('name: x\ntitle: 沉睡客户\nconditions:\n  all: []\n');
  });

  it('reports invalid YAML with its line', () => {
    const p = problemOf(() => parseRuleFile('name: x\ndescription: seed 001: mobile\nconditions: {all: []}\n', 'x.yaml'));
    expect(p.problems[0]).toMatchObject({ line: 2 });
  });

  it('says a YAML slip in the words a flow file gets: a full-width colon, a tab', () => {
    const colon = problemOf(() => parseRuleFile('name: x\ntitle：沉睡客户\nconditions: {all: []}\n', 'x.yaml'));
    expect(colon.problems[0]).toMatchObject({ line: 2, message: expect.stringMatching(/^not valid YAML: "title：" has a full-width colon ： .*e\.g\. title: …$/) });
    const tab = problemOf(() => parseRuleFile('name: x\nconditions:\n\tall: []\n', 'x.yaml'));
    expect(tab.problems[0]).toMatchObject({ line: 3, message: 'not valid YAML: this line is indented with a tab: YAML indents with spaces only' });
  });
});

describe('rule sets', () => {
  const dir = () => tempDir('rekindle-rules-');
  const ref = (name: string, other: string) => yaml(name, `  all:\n    - condition: ${other}\n`);

  it('detects a missing reference with its place', () => {
    const d = dir();
    writeFileSync(join(d, 'a.yaml'), ref('a', 'nope'));
    // The file with the mistake is set aside (broken-segment-file.test.ts), its problem said once.
    expect(RuleSet.loadDir(d).problems().map((x) => `${x.source}:${x.line}: ${x.path}: ${x.message}`).join('\n')).toBe(`${join(d, 'a.yaml')}:4: conditions.all[0].condition: references unknown rule "nope"`);
  });

  it('detects a reference cycle', () => {
    const d = dir();
    writeFileSync(join(d, 'a.yaml'), ref('a', 'b'));
    writeFileSync(join(d, 'b.json'), JSON.stringify({ name: 'b', conditions: { any: [{ condition: 'c' }] } }));
    writeFileSync(join(d, 'c.yaml'), ref('c', 'a'));
    expect(RuleSet.loadDir(d).problems().map((x) => x.message)).toContain('reference cycle: a → b → c → a');
  });

  it('loads the example rules of the repository', () => {
    const rules = RuleSet.loadDir(join(process.cwd(), 'rules/segments'));
    expect(rules.get('sleeping-high-value')).toBeDefined();
    expect(rules.factsRead('mobile-sleepers-sms')).toEqual(expect.arrayContaining(['lifecycleStage', 'aov', 'orderCount', 'device', 'consentSms', 'lastOrderAt']));
    expect(rules.operatorsWithoutSql('first-order-anniversary')).toEqual(['anniversaryWithinDays']);
    expect(() => compileRule(rules, 'first-order-anniversary', { at: AT, timezone: TZ, lifecycle: defaultShopConfig.lifecycle, dialect: SQLITE })).toThrow(NoSqlFormError);
  });
});

describe('engine evaluator', () => {
  const set = (conditions: unknown, extra: Record<string, unknown> = {}) => {
    const defs = [parseRuleFile(JSON.stringify({ name: 'r', conditions }), 'r.json')];
    for (const [name, c] of Object.entries(extra)) defs.push(parseRuleFile(JSON.stringify({ name, conditions: c }), `${name}.json`));
    return new EngineEvaluator(RuleSet.fromDefinitions(defs), { timezone: TZ });
  };

  it('evaluates withinLastDays against each run\'s instant with one engine', async () => {
    const ev = set({ all: [{ fact: 'lastOrderAt', operator: 'withinLastDays', value: 30 }] });
    const f = facts({ orderCount: 1, totalSpent: 10, lastOrderAt: AT - 10 * MS_PER_DAY });
    expect(await ev.matches('r', f, AT)).toBe(true);
    expect(await ev.matches('r', f, AT + 25 * MS_PER_DAY)).toBe(false);
    expect(await ev.matches('r', f, AT - 11 * MS_PER_DAY)).toBe(false); // the order lies after that instant
    expect(await ev.matches('r', facts(), AT)).toBe(false); // never bought
  });

  it('gives custom operators their meaning for missing values', async () => {
    const ev = set({
      any: [
        { fact: 'aov', operator: 'between', value: [100, 200] },
        { fact: 'province', operator: 'inList', value: ['浙江'] },
        { fact: 'tags', operator: 'containsAny', value: ['vip', 'new'] },
      ],
    });
    expect(await ev.matches('r', facts(), AT)).toBe(false);
    expect(await ev.matches('r', facts({ orderCount: 2, totalSpent: 400 }), AT)).toBe(true);
    expect(await ev.matches('r', facts({ province: '浙江' }), AT)).toBe(true);
    expect(await ev.matches('r', facts({ tags: ['new'] }), AT)).toBe(true);
    expect(await ev.matches('r', facts({ tags: ['VIP'] }), AT)).toBe(false);
    // json-rules-engine: a missing value is "not equal" to anything.
    const ne = set({ all: [{ fact: 'province', operator: 'notEqual', value: '浙江' }] });
    expect(await ne.matches('r', facts(), AT)).toBe(true);
  });

  it('keeps the why: each condition, the fact values read and the rule a reference came from', async () => {
    const ev = set({ all: [{ condition: 'big' }, { fact: 'device', operator: 'equal', value: 'mobile' }] }, { big: { all: [{ fact: 'aov', operator: 'greaterThanInclusive', value: 200 }] } });
    const e = await ev.evaluate('r', facts({ orderCount: 1, totalSpent: 250, device: 'pc' }), AT);
    expect(e.matched).toBe(false);
    expect(e.facts).toEqual({ aov: 250, device: 'pc' });
    expect(e.conditions).toMatchObject({
      kind: 'all',
      result: false,
      children: [
        { kind: 'rule', rule: 'big', result: true, children: [{ kind: 'all', children: [{ kind: 'fact', fact: 'aov', operator: 'greaterThanInclusive', value: 200, factValue: 250, result: true }] }] },
        { kind: 'fact', fact: 'device', value: 'mobile', factValue: 'pc', result: false },
      ],
    });
  });

  it('keeps its answers for the instants of the last minute only, and works an older instant out again alike', async () => {
    const ev = set({ all: [{ fact: 'orderCount', operator: 'greaterThanInclusive', value: 2 }] });
    const f = facts({ orderCount: 3, totalSpent: 90 });
    const first = await ev.evaluate('r', f, AT);
    // Customers alike in the facts share one answer (the switch's shared log details rest on it)…
    expect((await ev.evaluate('r', f, AT)).conditions).toBe(first.conditions);
    // …also when other instants came in between (events handled between a tick's batches)…
    await ev.evaluate('r', f, AT + 1_000);
    await ev.evaluate('r', f, AT + 59_000);
    expect((await ev.evaluate('r', f, AT)).conditions).toBe(first.conditions);
    // …but not once the engine's clock has moved on by more than a minute: that answer (and
    // whatever was built on it) is let go instead of kept for the rest of a simulation.
    await ev.evaluate('r', f, AT + 61_000);
    const again = await ev.evaluate('r', f, AT);
    expect(again.conditions).not.toBe(first.conditions);
    expect(again).toEqual(first);
  });

  it('evaluates anniversaryWithinDays (no SQL form) in the shop time zone', async () => {
    const ev = set({ all: [{ fact: 'firstOrderAt', operator: 'anniversaryWithinDays', value: 3 }] });
    const first = Date.parse('2024-11-22T20:00:00+08:00');
    expect(await ev.matches('r', facts({ orderCount: 1, totalSpent: 1, firstOrderAt: first, lastOrderAt: first }), AT)).toBe(true);
    expect(await ev.matches('r', facts({ orderCount: 1, totalSpent: 1, firstOrderAt: first, lastOrderAt: first }), AT - 5 * MS_PER_DAY)).toBe(false);
  });
});
