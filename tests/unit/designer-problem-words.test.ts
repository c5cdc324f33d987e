import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { problemWords } from '../../designer/src/model/problem-words.js';
import { serverProblemWords } from '../../designer/src/model/server-problem-words.js';
import { FlowSchema } from '../../server/src/core/flow/schema.js';
import { checkMessages } from '../support/check-messages.js';
import iconv from 'iconv-lite';
import { decodeRulesText, NotUtf8Error } from '../../server/src/core/text/rules-file-text.js';
import { notUtf8Problem } from '../../server/src/core/flow/problems.js';

/**
 * The Problems panel says every problem the server's checks can give in Chinese. The list of
 * messages is read from the server's source (tests/support/check-messages.ts), and zod's own
 * messages are taken from the flow schema itself on broken copies of the worked examples, so a
 * new check without Chinese words fails here instead of showing English to a marketer.
 */
const ENTRY_POINTS = ['server/src/core/flow/validate-flow.ts', 'server/src/api/designer/flow-drafts.ts'];
/** Reached by the import graph but not checks of a flow: the order record model (imported for the channel list) and its event type (intake, shop.yaml); the segment folder's loader (its problems are those of segment files; a flow is told of them by rule-references.ts). */
const NOT_FLOW_CHECKS = ['server/src/core/data/model.ts', 'server/src/core/data/event-type.ts', 'server/src/core/rules/rule-set.ts'];

const problem = (message: string, path = 'nodes.2.template') => ({ line: 1, nodeId: 'x', path, message, severity: 'error' as const });

/** Every distinct zod issue the flow schema gives when one value of a worked example is removed or replaced. */
function schemaIssues(): { path: string; message: string }[] {
  const out = new Map<string, { path: string; message: string }>();
  const WRONG = [undefined, {}, -1, 'x y', [], true];
  for (const file of readdirSync('rules/flows').filter((f) => f.endsWith('.flow.yaml'))) {
    const flow = parse(readFileSync(`rules/flows/${file}`, 'utf8'));
    const paths: (string | number)[][] = [];
    const shapes = new Set<string>();
    const walk = (v: unknown, at: (string | number)[]) => {
      // One path per field of a node type: the schema says the same of every instance.
      const shape = `${at[0] === 'nodes' ? (flow.nodes[at[1] as number]?.type ?? '') : ''}:${at.filter((s) => typeof s === 'string').join('.')}`;
      if (at.length && !shapes.has(shape)) (shapes.add(shape), paths.push(at));
      if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...at, Array.isArray(v) ? Number(k) : k]);
    };
    walk(flow, []);
    for (const at of paths)
      for (const wrong of WRONG) {
        const copy = structuredClone(flow);
        let parent = copy;
        for (const s of at.slice(0, -1)) parent = parent[s];
        if (wrong === undefined) delete parent[at[at.length - 1]];
        else parent[at[at.length - 1]] = wrong;
        const r = FlowSchema.safeParse(copy);
        if (!r.success) for (const i of r.error.issues) out.set(i.message.replace(/\d+/g, 'N'), { path: i.path.join('.'), message: i.message });
      }
  }
  return [...out.values()];
}

describe('problem words for the server checks', () => {
  it('has Chinese words for every message the server flow checks can give, read from their source', () => {
    const messages = checkMessages(ENTRY_POINTS).filter((m) => !NOT_FLOW_CHECKS.some((f) => m.at.startsWith(f)));
    // The scan still finds the checks (graph, schema, rules, coupons, layout…), not an empty list.
    expect(messages.length).toBeGreaterThan(60);
    for (const at of ['graph-checks.ts', 'schema.ts', 'rule-file.ts', 'operators.ts', 'flow-checks.ts', 'flow-file.ts', 'unknown-keys.ts', 'rule-references.ts'])
      expect(messages.some((m) => m.at.includes(at))).toBe(true);
    const missing = messages.filter((m) => serverProblemWords(problem(m.sample)) === null).map((m) => `${m.at}: ${m.sample}`);
    expect(missing).toEqual([]);
  });

  it('has Chinese words for every message zod gives on the flow schema (types, ranges, options, patterns)', () => {
    const issues = schemaIssues();
    expect(issues.length).toBeGreaterThan(5);
    const missing = issues.filter((i) => serverProblemWords(problem(i.message, i.path)) === null).map((i) => `${i.path}: ${i.message}`);
    expect(missing).toEqual([]);
  });

  it('says what is wrong and how to fix it, naming the field', () => {
    const zh = (message: string, path?: string) => problemWords('zh', problem(message, path));
    expect(zh('unknown key "colour" (known here: id, type, label, next)', 'nodes.2.colour')).toBe('不认识的设置项「colour」：请删掉它（可能是拼写错误）');
    expect(zh('link: Invalid URL', 'nodes.2.link')).toBe('「链接」不是有效的网址：请填写以 https:// 开头的完整链接');
    expect(zh('trigger.at: Invalid string: must match pattern /^([01]\\d|2[0-3]):[0-5]\\d$/', 'nodes.0.trigger.at')).toBe('「时间」需要一个时间，例如 09:00');
    // The schema's own words for a time of day (flow/schema.ts TIME_OF_DAY_MESSAGE).
    expect(zh('trigger.at: a time of day HH:MM from 00:00 to 23:59 (shop time), e.g. 09:00 or 21:30', 'nodes.0.trigger.at')).toBe('「时间」需要一个时间，例如 09:00');
    expect(zh('link: Invalid input: expected string, received number', 'nodes.2.link')).toBe('「链接」应填写文字：请按提示重新填写');
    expect(zh('arms.0.weight: expected a number in arm "a", got "45%": write 45, without %', 'nodes.1.arms.0.weight')).toBe('分组「a」的「比例 %」要填数字，现在是「45%」：请写 45，不带 %');
    expect(zh('arms.2.holdout: expected true or false in arm "holdout", got "yes please"', 'nodes.1.arms.2.holdout')).toBe('分组「holdout」的「对照组（不发送）」应为 true（是）或 false（否），现在是「yes please」');
    expect(zh('id: flow ids are lower-case letters, digits and "-"', 'id')).toContain('旅程 ID 只能用小写字母、数字和「-」');
    // A rule reference inside conditions is not taken for a missing entry segment.
    expect(zh('references unknown rule "gone" (in conditions at all.0.condition)', 'nodes.2.conditions.all.0.condition')).toBe('条件：引用的人群规则「gone」不存在：请在条件构建器里改选一个现有的规则');
    expect(zh('[1]: expected text for province, got 3 (in conditions at all.0.value)', 'nodes.2.conditions.all.0.value')).toBe('条件：第 2 个值：「省份」的值应是文字');
    expect(zh('operator greaterThan does not apply to province (a string fact; use one of equal, in) (in conditions at all.0.operator)')).toBe('条件：「省份」不能用「大于」比较：请换一种比较方式');
    expect(zh('expected a date (ISO-8601 text or epoch ms) for firstOrderAt, got "soon" (in conditions at all.0.value)')).toContain('的值应是一个日期');
    // As the server now says them, the place first as in a segment file (rule-references.ts).
    expect(zh('conditions.all[0].operator: operator greaterThan does not apply to province (a string fact; use one of equal, in)', 'nodes.2.conditions.all.0.operator')).toBe('条件：「省份」不能用「大于」比较：请换一种比较方式');
    expect(zh('conditions.any[1].all[0].value: [1]: expected text for province, got 3', 'nodes.2.conditions.any.1.all.0.value')).toBe('条件：第 2 个值：「省份」的值应是文字');
    // A YAML slip of an imported file (core/text/yaml-syntax-words.ts).
    expect(zh('not valid YAML: this line is indented further than line 34 above it, which already has its value: keys of one level start in the same column')).toBe('文件格式有误：这一行比上面第 34 行缩进得多，而那一行已经有值：同一层的设置项要从同一列开始');
    expect(zh('not valid YAML: "duration：" has a full-width colon ： (from a Chinese input method): YAML needs a half-width colon and a space, e.g. duration: …')).toBe('文件格式有误：「duration」后面是中文全角冒号「：」：请改成英文半角冒号加一个空格，例如 duration: …');
    expect(zh('not valid YAML: this line is indented with a full-width space (　, from a Chinese input method): YAML indents with half-width spaces only')).toBe('文件格式有误：这一行的缩进里有中文全角空格「　」：YAML 只能用英文半角空格缩进');
    expect(zh('layout: position for node "gone", which flow "f" does not have', 'positions.gone')).toContain('布局：布局里有步骤「gone」的位置');
    // Messages that print wrong, and events nobody sends (flow/message-checks.ts, flow/event-checks.ts).
    expect(zh('uses {{link}} but has no link target: customers would get the text without a link; fill in the link target (link) or take {{link}} out')).toBe('「消息内容」里用了 {{link}}，但这一步没有填写「链接」：顾客收到的消息里不会有链接。请填写链接，或删掉 {{link}}');
    expect(zh('{{customer.nmae}} is not a message variable (customers would get an empty text in its place): did you mean {{customer.name}}?')).toBe('「消息内容」里的 {{customer.nmae}} 不是可用的变量，顾客看到的会是空白：是不是想写 {{customer.name}}？');
    expect(zh('event "order_creatd" is not an event the shop records: did you mean "order_created"?', 'nodes.0.trigger.event')).toBe('「触发事件」的事件「order_creatd」不存在，旅程永远等不到它：是不是想写「order_created」？请从列表里选择');
    expect(zh('event "下单" is neither one the system records, nor declared in rules/shop.yaml, nor seen in the shop\'s event log (known: order_created): nothing would match it unless the shop sends it through POST /api/events; if it does, declare it in rules/shop.yaml under events: (name: 下单 and a description)', 'exitOn.0.event')).toBe('「事件」的事件「下单」系统不会记录，店铺规则文件 rules/shop.yaml 里没有声明，也从未发送过：旅程可能永远不会因它开始、响应或结束。请从列表里选择；若是店铺通过接口自己发送的事件，请让开发同事在 rules/shop.yaml 里声明它（名称和说明），之后就不再提示');
    // What the designer has no words for yet still shows the field and the server's reason.
    expect(zh('something new', 'nodes.2.template')).toBe('「消息内容」填写有误：something new');
  });

  it('says in Chinese that a rules file is not UTF-8 (GBK, UTF-16 or other bytes), on the flow and on its layout', () => {
    const reasonOf = (bytes: Uint8Array) => {
      try {
        decodeRulesText(bytes, 'rules/flows/x.flow.yaml');
      } catch (e) {
        if (e instanceof NotUtf8Error) return notUtf8Problem(e);
      }
      throw new Error('decoded');
    };
    const gbk = reasonOf(iconv.encode('id: x\nname: 广东客户\n', 'gbk'));
    expect(serverProblemWords(gbk)).toContain('看起来是 GBK/GB18030');
    expect(serverProblemWords({ ...gbk, message: `layout: ${gbk.message}` })).toMatch(/^布局：文件不是 UTF-8 编码/);
    expect(serverProblemWords(reasonOf(Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode('id: x\n', 'utf-16le')])))).toBe('文件是 UTF-16 编码（记事本的「Unicode」）：请另存为 UTF-8');
    expect(serverProblemWords(reasonOf(Uint8Array.from([0x69, 0x64, 0x3a, 0x20, 0xc3, 0x28])))).toBe('文件不是 UTF-8 编码：请在编辑器里另存为 UTF-8');
  });
});
