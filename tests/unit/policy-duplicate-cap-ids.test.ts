import { describe, expect, it } from '@jest/globals';
import { policyProblems } from '../../designer/src/model/policy-words.js';
import { checkYamlFile, namingFields } from '../../server/src/core/flow/yaml-checks.js';
import { formatProblem } from '../../server/src/core/flow/problems.js';
import { ruleCatalogFromNames } from '../../server/src/core/flow/rule-references.js';
import { validateFlowText } from '../../server/src/core/flow/validate-flow.js';
import { checkPolicy, parsePolicyText, PolicyError } from '../../server/src/core/policy/policy-text.js';
import { PolicySchema } from '../../server/src/core/policy/schema.js';
import { serverProblemWords } from '../../designer/src/model/server-problem-words.js';

/** Two caps with one id could not be told apart in the send log (`capped:<id>`) nor on the page. */
const cap = (id: string, period = 'month') => `  - id: ${id}\n    max: 2\n    period: ${period}\n`;
const POLICY = `caps:\n${cap('daily', 'day')}${cap('sms-month')}${cap('weekly', 'week')}${cap('sms-month', 'week')}`;

const problemsOf = (f: () => unknown): string[] => {
  try {
    f();
  } catch (e) {
    if (e instanceof PolicyError) return e.problems;
    throw e;
  }
  return [];
};

describe('a cap id used twice', () => {
  it('rekindle validate names the second cap\'s id field and the first cap, on the second cap\'s line', () => {
    const problems = namingFields(checkYamlFile(POLICY, PolicySchema).problems);
    expect(problems.map((p) => `${p.line}: ${p.message}`)).toEqual(['11: caps.3.id: "sms-month" is already the id of caps.1']);
  });

  it('is refused in rules/policy.yaml text and in a JSON policy (PUT /api/policy), naming the field', () => {
    expect(problemsOf(() => parsePolicyText(POLICY, 'rules/policy.yaml'))).toEqual(['rules/policy.yaml:11 caps.3.id: "sms-month" is already the id of caps.1']);
    const json = { caps: [{ id: 'a', max: 1, window: '24h' }, { id: 'a', max: 2, period: 'month' }, { id: 'a', max: 3, period: 'week' }] };
    expect(problemsOf(() => checkPolicy(json, 'body'))).toEqual(['body caps.1.id: "a" is already the id of caps.0', 'body caps.2.id: "a" is already the id of caps.0']);
    expect(problemsOf(() => checkPolicy({ caps: [{ id: 'a', max: 1, window: '24h' }, { id: 'b', max: 1, window: '24h' }] }, 'body'))).toEqual([]);
  });

  it('is refused among a flow\'s own caps by the flow checks', () => {
    const flow = `id: t\nname: T\ncaps:\n${cap('d11')}${cap('d11', 'week')}nodes:\n  - id: start\n    type: entry\n    trigger: { type: event, event: order_created }\n    next: done\n  - id: done\n    type: exit\n`;
    const messages = validateFlowText(flow, 'rules/flows/t.flow.yaml', ruleCatalogFromNames([])).problems.map((p) => formatProblem('rules/flows/t.flow.yaml', p));
    expect(messages).toEqual(['rules/flows/t.flow.yaml:7: caps.1.id: "d11" is already the id of caps.0']);
  });

  it('the contact-rules page says it in Chinese beside the second cap\'s id', () => {
    expect(policyProblems('zh', ['/tmp/x/rules/policy.yaml:11 caps.3.id: "sms-month" is already the id of caps.1'])).toEqual([
      { field: 'caps.3.id', words: '上限 ID「sms-month」已被第 2 条触达上限使用：每条上限的 ID 都要不同，请改成别的 ID' },
    ]);
  });

  it('is said as caps.N.field in one form everywhere: rekindle validate, PUT /api/policy and the flow checks', () => {
    const said = [
      ...namingFields(checkYamlFile(POLICY, PolicySchema).problems).map((p) => p.message),
      ...problemsOf(() => parsePolicyText(POLICY, 'rules/policy.yaml')),
      ...validateFlowText(`id: t\nname: T\ncaps:\n${cap('d11')}${cap('d11', 'week')}nodes: []\n`, 't.flow.yaml', ruleCatalogFromNames([])).problems.map((p) => p.message),
    ];
    expect(said.filter((m) => /caps/.test(m)).length).toBeGreaterThanOrEqual(3);
    expect(said.filter((m) => /caps\[/.test(m))).toEqual([]);
  });
});

describe("a journey's own cap with the id of a shop-wide cap", () => {
  const flow = (id: string) => `id: t\nname: T\ncaps:\n${cap('d11')}${cap(id, 'week')}nodes:\n  - id: start\n    type: entry\n    trigger: { type: event, event: order_created }\n    next: done\n  - id: done\n    type: exit\n`;
  const shop = ['marketing-per-day', 'sms-per-month'].map((id) => ({ id, max: 1, window: '24h', categories: ['marketing' as const] }));

  it('is refused by the flow checks (validate, the designer, publish) on its id line, naming both caps', () => {
    const problems = validateFlowText(flow('sms-per-month'), 'rules/flows/t.flow.yaml', ruleCatalogFromNames([]), null, undefined, null, shop).problems;
    expect(problems.map((p) => formatProblem('rules/flows/t.flow.yaml', p))).toEqual([
      'rules/flows/t.flow.yaml:7: caps.1.id: "sms-per-month" is already the id of the shop-wide cap caps.1 in rules/policy.yaml: give this journey\'s cap another id (the send log and the designer name a cap by its id)',
    ]);
    expect(problems[0]).toMatchObject({ path: 'caps.1.id', severity: 'error' });
    expect(validateFlowText(flow('d11-weekly'), 't.flow.yaml', ruleCatalogFromNames([]), null, undefined, null, shop).problems).toEqual([]);
  });

  it('the designer says it in Chinese, naming the shop-wide cap', () => {
    const [p] = validateFlowText(flow('marketing-per-day'), 't.flow.yaml', ruleCatalogFromNames([]), null, undefined, null, shop).problems;
    expect(serverProblemWords(p)).toBe('上限 ID「marketing-per-day」已被全店触达规则的第 1 条上限使用：发送记录和设计器按 ID 区分上限，请给这个旅程自己的上限换一个 ID');
  });
});
