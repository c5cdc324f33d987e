import { fieldLabel } from './fields.js';
import { PERCENT_FIELDS, percentOfShare } from './share-percent.js';
import { branchWords } from './branch-words.js';
import { durationWords } from './duration.js';
import { propertyWords } from './journey-key-words.js';
import { stepNameIn } from './step-name.js';
import { channelLabel, eventLabel } from './summary.js';
import type { DraftFlow, DraftNode, Problem } from './types.js';
import { FACT_WORDS, OPERATOR_WORDS } from './words.js';

/**
 * The server's check messages (the same as `rekindle validate`: schema, graph, rules, coupons,
 * layout) said again in Chinese: what is wrong and what to do, naming the field by its label.
 * The panel prints the step's name before each line, so the words name the field, not the step.
 * tests/unit/designer-problem-words.test.ts reads every message the server's checks can give
 * from their source and fails when one has no words here.
 */

/** A field path as the inspector names it: without `nodes.<i>.` and list indices. */
const schemaPathOf = (path: string) => path.replace(/^nodes\.\d+\./, '').replace(/\.\d+(?=\.|$)/g, '');

interface Said {
  /** The field's label («消息内容»). */
  field: string;
  /** The problem's path inside its node, as the server prefixes zod's messages with it. */
  rel: string;
  /** The step's id, for words that must name it (a key in the file is found by the id, not the label). */
  nodeId?: string | null;
  /** The step itself when the flow is known: its arms and cases are named by their labels. */
  node?: DraftNode | null;
  /** The flow, when known: other steps a message names are said by their names. */
  flow?: DraftFlow | null;
}
type Rule = [RegExp, (r: RegExpExecArray, s: Said) => string];

const fact = (name: string) => FACT_WORDS[name]?.zh ?? name;
const operator = (name: string) => OPERATOR_WORDS[name]?.zh ?? name;
const GROUP: Record<string, string> = { all: '全部满足', any: '任一满足', not: '都不满足' };
const group = (k: string) => GROUP[k] ?? k;
/** rule-set.ts brokenCauseText in Chinese: `its file F has a mistake` / `it uses "x", whose file F has a mistake`. */
const brokenCauseWords = (cause: string) => {
  const m = /^(?:it uses "([^"]+)", whose file|its file) (\S+) has a mistake/.exec(cause);
  if (!m) return '它的规则文件有错误';
  return `${m[1] ? `它用到的「${m[1]}」的` : '它的'}文件 ${m[2]} 有错误`;
};
/** A value as the server quotes it (JSON), without the quotes of a string. */
const unquote = (json: string) => json.replace(/^"(.*)"$/, '$1');
/**
 * The server's "2026-10-27 09:00 +08:00" (shop time, core/engine/local-time.ts formatShopTime) as
 * the designer writes every date (format.ts formatDateTime): "2026/10/27 09:00". The offset goes:
 * both are the shop's time, and the cards, the inspector and the publish dialog never show one.
 */
export const shopDate = (s: string) => s.replace(/^(\d{4})-(\d{2})-(\d{2}) (\d{2}:\d{2})(?: [+-]\d{2}:\d{2})?$/, '$1/$2/$3 $4');
const CONDITION_PART: Record<string, string> = { fact: '指标', operator: '比较方式', value: '值', conditions: '条件' };
const TYPE: Record<string, string> = { string: '文字', number: '数字', boolean: '「是」或「否」', array: '一组值', object: '一组设置', record: '一组设置' };
const ID_CHARS = '只能用小写字母、数字、「-」和「_」';

/** Zod's own messages (the schema's types, ranges, options and patterns), after the field prefix. */
const ZOD: Rule[] = [
  [/^Invalid input: expected (\w+), received/, (r, s) => `「${s.field}」应填写${TYPE[r[1]] ?? r[1]}：请按提示重新填写`],
  // core/flow/flow-file.ts wrongTypeWords: the value and its fix (an imported file's `weight: 45%`).
  [/^expected a number(?: in (?:arm|case) "([^"]*)")?, got "([^"]*)": write (\S+), without %/, (r, s) => `${r[1] ? `分组「${r[1]}」的` : ''}「${s.field}」要填数字，现在是「${r[2]}」：请写 ${r[3]}，不带 %`],
  [/^expected a number(?: in (?:arm|case) "([^"]*)")?, got (?:the text )?"([^"]*)"/, (r, s) => `${r[1] ? `分组「${r[1]}」的` : ''}「${s.field}」要填数字，现在是「${r[2]}」`],
  [/^expected true or false(?: in (?:arm|case) "([^"]*)")?, got "([^"]*)"/, (r, s) => `${r[1] ? `分组「${r[1]}」的` : ''}「${s.field}」应为 true（是）或 false（否），现在是「${r[2]}」`],
  [/^expected text(?: in (?:arm|case) "([^"]*)")?, got (.*?): put it in quotes/, (r, s) => `${r[1] ? `分组「${r[1]}」的` : ''}「${s.field}」应填写文字，现在是 ${r[2]}：请加上引号`],
  [/^Invalid option: expected one of/, (_, s) => `请为「${s.field}」选择一个选项`],
  [/^Invalid string: must match pattern .*:/, (_, s) => `「${s.field}」需要一个时间，例如 09:00`],
  [/^Invalid string: must match pattern/, (_, s) => `「${s.field}」${ID_CHARS}，例如 double11-2026`],
  [/^Too small: expected number to be >=(-?[\d.]+)/, (r, s) => `「${s.field}」不能小于 ${r[1]}`],
  [/^Too small: expected number to be >(-?[\d.]+)/, (r, s) => `「${s.field}」必须大于 ${r[1]}`],
  // A share typed as a percentage (ui/PercentInput.tsx): its bound said as one, not 不能大于 1.
  [/^Too big: expected number to be <=(-?[\d.]+)/, (r, s) => (PERCENT_FIELDS.has(schemaPathOf(s.rel)) ? `「${s.field}」不能大于 ${percentOfShare(Number(r[1]))}%` : `「${s.field}」不能大于 ${r[1]}`)],
  [/^Too big: expected number to be <(-?[\d.]+)/, (r, s) => `「${s.field}」必须小于 ${r[1]}`],
  [/^Too small: expected \w+ to have >=?1 (items|characters)/, (_, s) => `请填写「${s.field}」（不能为空）`],
  [/^Too small: expected \w+ to have >=?(\d+) (items|characters)/, (r, s) => `「${s.field}」至少需要 ${r[1]} ${r[2] === 'items' ? '项' : '个字'}`],
  [/^Too big: expected \w+ to have <=?(\d+) (items|characters)/, (r, s) => `「${s.field}」最多 ${r[1]} ${r[2] === 'items' ? '项' : '个字'}`],
  [/^Invalid URL/, (_, s) => `「${s.field}」不是有效的网址：请填写以 https:// 开头的完整链接`],
  [/^Invalid discriminator value/, (_, s) => `请为「${s.field}」从列表中选择一种`],
  [/^Invalid input$/, (_, s) => `「${s.field}」的值不对：请从列表中重新选择，或按提示重新填写`],
];

/** A step a message names by id, by its name when the flow is known: 「名称」（id）. */
const stepIn = (s: Said, id: string) => (s.flow ? `「${stepNameIn('zh', s.flow.nodes, id)}」（${id}）` : `「${id}」`);
/** "send-1, send-2" as the steps' names: 「开头提醒」（send-1）、「发券」（send-2）. */
const steps = (s: Said, ids: string) => ids.split(', ').map((id) => stepIn(s, id)).join('、');
const PERIOD_WORDS: Record<string, string> = { day: '日', week: '周', month: '月' };
/** time-of-day-checks.ts's "11 h", "1 h 30 min". */
const hoursWords = (h: string) => h.replace(/(\d+) h/, '$1 小时').replace(/(\d+) min/, '$1 分钟');
/** What sets the time of day customers arrive at (time-of-day-checks.ts's `what`). */
function timeOrigin(what: string): string {
  const m = /^the daily schedule at (\S+)$|^untilTime (\S+)$|^startAt \((\S+)\)$|^untilDate \((\S+)\)$/.exec(what);
  if (!m) return what;
  if (m[1]) return `每天 ${m[1]} 圈选`;
  if (m[2]) return `等到 ${m[2]}`;
  if (m[3]) return `${m[3]} 开始`;
  return `等到日期的 ${m[4]}`;
}
/** The start of a quiet-hours problem: which send is reached when, set by what, inside which hours. */
const quietWhere = (r: RegExpExecArray, s: Said) =>
  `由${stepIn(s, r[5])}${timeOrigin(r[4])}的顾客在 ${r[3]} 到达${stepIn(s, r[1])}，正好在${channelLabel('zh', r[2])}的免打扰时段 ${r[6]}–${r[7]} 内（全店触达规则）`;

/** The flow's own checks (core/flow, core/policy, core/experiment, core/coupons, the designer's save). */
const FLOW: Rule[] = [
  // graph-checks.ts
  [/^branch "([^"]+)" is not connected to any node$/, (r, s) => `「${branchWords('zh', r[1], s.node)}」还没有连到下一步`],
  [/^edge "([^"]+)" points to missing node "([^"]*)"(?: \(did you mean "([^"]+)"\?\))?$/, (r, s) => `「${branchWords('zh', r[1], s.node)}」连到的步骤「${r[2]}」不存在${r[3] ? `（是不是「${r[3]}」？）` : ''}：请把这个分支重新连到一个步骤`],
  [/^node is unreachable from the entry node/, () => '从入口走不到这一步（还没有连线指向它）'],
  [/^a flow needs exactly one entry node; there is none$/, () => '旅程需要一个入口：请从左侧「步骤」里添加「入口」'],
  [/^a flow needs exactly one entry node; "([^"]*)" is already the entry$/, (r) => `旅程只能有一个入口，「${r[1]}」已经是入口：请删掉多余的入口`],
  [/^duplicate node id "([^"]+)"/, (r) => `步骤 ID「${r[1]}」重复了：请把其中一个改成别的 ID`],
  [/^loop without a wait/, () => '出现了没有等待的循环：请在循环中加一个「等待」或「等待响应」'],
  // schema.ts and the schemas it uses (policy, experiment)
  [/arm weights add up to ([\d.]+)%, not 100%/, (r) => `各组比例加起来是 ${r[1]}%，应为 100%`],
  [/^duplicate arm id "([^"]+)"/, (r) => `分组 ID「${r[1]}」重复了：请改成不同的 ID`],
  [/^give either rule or conditions/, () => '请选择一个人群规则，或用条件构建器设置条件（二选一）'],
  [/^missing how long to wait/, () => '请设置等待多久：时长（例如 2 小时、3 天）、等到几点或等到哪一天，三选一'],
  [/^give exactly one of duration, untilTime, untilDate/, () => '请只设置一种等待方式：时长、几点或日期'],
  [/^give exactly one of window, period, campaign/, () => '每条触达上限只能设一种计数方式：时间窗口、自然周期或按活动，请只保留一种'],
  [/^uses \{\{key\}\} but the entry keys no journey/, () => '消息里的〈旅程关键值〉（如订单号）是空的：入口选了「不区分」，顾客收到的这里什么都没有。请在入口的「旅程关键值」里选按什么区分旅程（如订单号），或删掉这个变量'],
  [/^"([^"]*)" is already the id of a cap of the journey ([a-z0-9_-]+) /, (r) => `上限 ID「${r[1]}」已被旅程「${r[2]}」自己的触达上限使用：发送记录和设计器按 ID 区分上限，请给全店的这条上限换一个 ID`],
  [/^block list "([^"]*)" has no file/, (r) => `屏蔽名单「${r[1]}」还没有名单文件（rules/lists/${r[1]}.txt）：请先导入名单，或不选它`],
  [/^block rule "([^"]*)" is not in/, (r) => `屏蔽人群「${r[1]}」不存在：请从列表里选一个已有的人群`],
  [/^(?:caps\.\d+\.id: )?"([^"]*)" is already the id of the shop-wide cap caps\.(\d+)/, (r) => `上限 ID「${r[1]}」已被全店触达规则的第 ${Number(r[2]) + 1} 条上限使用：发送记录和设计器按 ID 区分上限，请给这个旅程自己的上限换一个 ID`],
  [/^"([^"]*)" is already the id of caps\.(\d+)/, (r) => `上限 ID「${r[1]}」已被第 ${Number(r[2]) + 1} 条触达上限使用：每条上限的 ID 都要不同，请改成别的 ID`],
  [/^onCapped: branch needs a capped edge/, () => '选择了「被限频时走分支」，请连接「被限频」分支'],
  [/^fallback must be another channel than the step's own/, () => `「${fieldLabel('zh', 'fallback')}」不能和这一步的渠道相同：请选另一个渠道，或不选`],
  [/^overflow only applies to mode keep/, () => '只有「只取前面的」方式才有「超出上限」分支'],
  [/^policy "after" needs days/, () => `「${fieldLabel('zh', 'reentry')}」选了「间隔后允许」，请填写「${fieldLabel('zh', 'reentry.days')}」`],
  [/^node ids are lower-case letters/, (_, s) => `「${s.field}」${ID_CHARS}（例如 remind-2h）：请在右侧修改`],
  [/^(cap|experiment) ids are lower-case letters/, (r, s) => `「${s.field}」${ID_CHARS}（例如 ${r[1] === 'cap' ? 'd11-touches' : 'coupon-test'}）`],
  [/^flow ids are lower-case letters/, () => '旅程 ID 只能用小写字母、数字和「-」（例如 payment-reminder）：请在旅程设置里修改'],
  [/^flow id must be "([^"]*)"/, (r) => `旅程 ID 与文件不一致：请把旅程 ID 改回「${r[1]}」`],
  [/is not a duration: write (\d+[wdhm][\dwdhm]*) /, (r, s) => `「${s.field}」不是有效的时长：请写成 ${r[1]}（例如 30m、2h、3d、1d12h）`],
  [/a duration such as|is not a duration/, (_, s) => `「${s.field}」不是有效的时长，例如 30分钟、2小时、3天`],
  [/^at most (\d[\d,]*) days \(100 years\)/, (r, s) => `「${s.field}」最长 ${r[1]} 天（100 年）：请检查数字`],
  [/^not a real date-time/, (_, s) => `「${s.field}」不是真实存在的日期时间：请用日期选择器重新选择`],
  [/date-time|ISO/, (_, s) => `「${s.field}」需要一个日期时间：请用日期选择器选择`],
  [/HH:MM/, (_, s) => `「${s.field}」需要一个时间，例如 09:00`],
  [/^give a quota on every arm or on none/, () => '要么每个分组都设固定人数，要么都不设：请补齐或清空各组的人数'],
  // core/flow/schema.ts: a one-off coupon's threshold at or under its value (满10减15).
  [/^minSpend must be above the coupon value/, (_, s) => `「${s.field}」要比优惠券面额高（例如 满199减20），或填 0 表示无门槛：现在的门槛不高于面额，满多少就减多少甚至更多`],
  [/^quotas need quotaOverflow/, () => `设了固定人数，还要选择「${fieldLabel('zh', 'quotaOverflow')}」：所有人数满后其余顾客走哪一组`],
  [/^quotaOverflow names no arm "([^"]*)"/, (r) => `「${fieldLabel('zh', 'quotaOverflow')}」选的分组「${r[1]}」不存在：请重新选择`],
  [/^experiment\.control names no arm "([^"]*)"/, (r) => `「${fieldLabel('zh', 'experiment.control')}」选的分组「${r[1]}」不存在：请重新选择`],
  [/^experiment\.test\.defaultArm names no arm "([^"]*)"/, (r) => `「${fieldLabel('zh', 'experiment.test.defaultArm')}」选的分组「${r[1]}」不存在：请重新选择`],
  [/^a test-then-roll-out split uses weights, not quotas/, () => '「先测试再推广」按比例分组，不能设固定人数：请清空各组的人数'],
  // flow-file.ts: zod's issues in words, the file itself, the layout
  [/^missing node type/, () => '这一步没有类型：请删掉它，从左侧「步骤」里重新添加'],
  [/^unknown node type "([^"]*)"/, (r) => `不认识的步骤类型「${r[1]}」：请删掉这一步，从左侧「步骤」里重新添加`],
  [/^missing required "([^"]+)"$/, (_, s) => `请填写「${s.field}」`],
  [/^missing \S+ \(one of /, (_, s) => `请为「${s.field}」选择一种`],
  [/^unknown \S+ "([^"]*)" \(expected one of /, (r, s) => `「${s.field}」的值「${r[1]}」不可用：请在列表中重新选择`],
  [/^unknown key "([^"]+)": did you mean "([^"]+)"\?/, (r, s) => `${s.nodeId ? `步骤 ${s.nodeId} 里有` : ''}不认识的设置项「${r[1]}」，这一项不会生效：是不是想写「${fieldLabel('zh', r[2])}」（${r[2]}）？请在文件里把「${r[1]}」改成「${r[2]}」后重新导入，或在右侧重新填写「${fieldLabel('zh', r[2])}」`],
  [/^unknown key "([^"]+)"/, (r) => `不认识的设置项「${r[1]}」：请删掉它（可能是拼写错误）`],
  // A YAML slip in an imported file (core/text/yaml-syntax-words.ts), after flow-file.ts's "not valid YAML: ".
  [/this line is indented further than line (\d+) above it/, (r) => `文件格式有误：这一行比上面第 ${r[1]} 行缩进得多，而那一行已经有值：同一层的设置项要从同一列开始`],
  [/a value holds ": "/, () => '文件格式有误：有一个值里带着「: 」：请给这个值加上引号，例如 note: "a: b"'],
  [/the indentation does not fit here/, () => '文件格式有误：这一行的缩进不对：同一层的设置项要从同一列开始'],
  [/"(.+?)：" has a full-width colon ：/, (r) => `文件格式有误：「${r[1]}」后面是中文全角冒号「：」：请改成英文半角冒号加一个空格，例如 ${r[1]}: …`],
  [/indented with a full-width space/, () => '文件格式有误：这一行的缩进里有中文全角空格「　」：YAML 只能用英文半角空格缩进'],
  [/indented with a tab: YAML indents with spaces only/, () => '文件格式有误：这一行用了 Tab 缩进：YAML 只能用空格缩进'],
  [/(\S+) is given twice in the same place: keep one/, (r) => `文件格式有误：${r[1]} 在同一处写了两次：请只保留一个`],
  [/a quoted value is not closed/, () => '文件格式有误：有一个引号没有配对：请补上结尾的引号'],
  [/a list in \[ \] is not closed with \]/, () => '文件格式有误：「[」开头的列表没有用「]」结束'],
  [/a \{ \} group is not closed with \}/, () => '文件格式有误：「{」开头的内容没有用「}」结束'],
  [/^not valid (\w+):/, (r) => `文件格式有误（${r[1]} 语法错误）：请检查所在行的缩进、冒号和引号`],
  // rules-file-text.ts: a file under rules/ saved in another encoding than UTF-8.
  [/^not UTF-8 text: it looks like GBK/, () => '文件不是 UTF-8 编码（看起来是 GBK/GB18030，中文 Windows 记事本的默认编码）：请在编辑器里另存为 UTF-8，或让开发同事用 iconv 转换'],
  [/^not UTF-8 text: the file is UTF-16/, () => '文件是 UTF-16 编码（记事本的「Unicode」）：请另存为 UTF-8'],
  [/^not UTF-8 text/, () => '文件不是 UTF-8 编码：请在编辑器里另存为 UTF-8'],
  [/^expected a (YAML mapping|flow object)/, () => '内容不是一个旅程：旅程应包含 ID、名称和步骤'],
  [/^file name "([^"]*)" does not match flow id "([^"]*)"/, (r) => `文件名「${r[1]}」与旅程 ID「${r[2]}」不一致：请把文件改名为「${r[2]}.flow.yaml」`],
  [/^a flow file is named <id>/, () => '旅程文件应命名为「旅程 ID.flow.yaml」：请改文件名'],
  [/^position for node "([^"]*)", which flow "([^"]*)" does not have \(did you mean "([^"]*)"\?\)/, (r) => `布局里有步骤「${r[1]}」的位置，但旅程「${r[2]}」没有这一步（是不是「${r[3]}」？）：点「自动布局」或保存一次即可更新布局`],
  [/^position for node "([^"]*)", which flow "([^"]*)" does not have/, (r) => `布局里有步骤「${r[1]}」的位置，但旅程「${r[2]}」没有这一步：点「自动布局」或保存一次即可更新布局`],
  [/^layout file "([^"]*)" does not belong to flow "([^"]*)"/, (r) => `布局文件「${r[1]}」不属于旅程「${r[2]}」：请删掉它或改成正确的文件名`],
  // trigger-key-checks.ts
  [/^key "([^"]*)" is not a field of event "([^"]*)" \((.*?)\): every journey would get the same empty key/, (r) => {
    const fields = /^it carries (.*?)(?: as rules\/shop\.yaml declares it)?$/.exec(r[3]);
    const carries = fields && !/^no fields/.test(fields[1]) ? `它带的是${fields[1].split(', ').map((k) => `「${propertyWords('zh', k)}」`).join('、')}` : '它不带任何字段';
    const near = /did you mean "([^"]*)"\?$/.exec(r.input);
    return `「${fieldLabel('zh', 'trigger.key')}」是「${propertyWords('zh', r[1])}」，但「${eventLabel('zh', r[2])}」事件不带这个字段（${carries}）：所有旅程的关键值都是空的，实际上每位顾客只有一段旅程，按「本旅程的关键值」匹配的条件也永远匹配不到。请${near ? `改成「${propertyWords('zh', near[1])}」` : '改选事件带的字段'}，或选「不区分」`;
  }],
  // missed-response-checks.ts
  [/^waitForEvent "([^"]*)" counts only events after it starts: (.+?) during the wait before it \((.*?)\) is not seen[^;]*; (.*), or end the journey on it at any step with exitOn \(event: [^,)]*(, match)?/, (r, s) => {
    const step = (id: string) => `「${s.flow ? stepNameIn('zh', s.flow.nodes, id) : id}」（${id}）`;
    const quoted = [...r[2].matchAll(/"([^"]+)"/g)].map((m) => m[1]);
    const events = (quoted.length ? quoted : [r[2]]).map((e) => `「${eventLabel('zh', e)}」`).join('、');
    const waits = r[3].split('; ').map((w) => step(w.split(', ')[0])).join('、');
    const merged = /^drop the wait (\S+) and wait here from the entry with within: ([^,\s]+)/.exec(r[4]);
    const limit = merged ? `删掉${step(merged[1])}，让这一步紧跟在入口后面，「${fieldLabel('zh', 'within')}」改成 ${durationWords('zh', merged[2])}` : `把${waits}换成「等待响应」等${events}，「${fieldLabel('zh', 'within')}」不变，「${branchWords('zh', 'responded')}」连到一个结束步骤`;
    return `这一步（${r[1]}）只认它开始之后发生的${events}：顾客在前面${waits}期间${events}，这一步看不到，旅程会当作没有发生继续走（例如给已经付款的顾客发催付）。请二选一：${limit}；或在旅程设置的「${fieldLabel('zh', 'exitOn')}」里加上${events}${r[5] ? '（匹配本旅程的关键值）' : ''}，发生后无论在哪一步都退出旅程`;
  }],
  [/^send "([^"]*)" still goes to customers who did (.+?) during the wait before it \((.*?)\), and waitForEvent "([^"]*)" after it sees only what happens once it has started/, (r, s) => {
    const step = (id: string) => `「${s.flow ? stepNameIn('zh', s.flow.nodes, id) : id}」（${id}）`;
    const quoted = [...r[2].matchAll(/"([^"]+)"/g)].map((m) => m[1]);
    const events = (quoted.length ? quoted : [r[2]]).map((e) => `「${eventLabel('zh', e)}」`).join('、');
    const waits = r[3].split('; ').map((w) => step(w.split(', ')[0])).join('、');
    return `顾客在前面${waits}期间${events}，仍会收到${step(r[1])}；之后这一步（${r[4]}）只认它开始之后的${events}，看不到之前那次，会当作没有响应走「${branchWords('zh', 'timedOut')}」（例如已经回购的顾客被记为放弃）。请在旅程设置的「${fieldLabel('zh', 'exitOn')}」里加上${events}并勾选「${fieldLabel('zh', 'exitOn.goal')}」，发生后无论在哪一步都退出旅程`;
  }],
  // send-kind-checks.ts
  [/^a payment reminder \(it reminds the customer of their own unpaid order\) is category marketing/, () => `这是催付提醒（提醒顾客付他自己的未付款订单），却标成了「营销」：它会占用店铺的营销触达上限（例如每天 1 条营销消息），还会被「放弃」规则和屏蔽名单拦下。请把「${fieldLabel('zh', 'category')}」改成「交易通知」；只有带优惠券等促销内容时才用「营销」`],
  [/^category (\S+) on a promotion \((it issues a coupon|it names a coupon|its text says "([^"]*)"|[^)]*)\)/, (r) => {
    const kind = r[1] === 'care' ? '关怀' : r[1] === 'transactional' ? '交易通知' : r[1];
    const what = r[2] === 'it issues a coupon' ? '这一步发优惠券' : r[2] === 'it names a coupon' ? '消息内容提到了优惠券' : r[3] ? `消息内容像是促销（「${r[3]}」）` : '这条消息像是促销';
    return `${what}，却标成了「${kind}」：促销就是营销，标成「${kind}」会绕过店铺的营销触达上限、「放弃」规则和屏蔽名单。请把「${fieldLabel('zh', 'category')}」改成「营销」`;
  }],
  // reentry-checks.ts
  [/^reentry "([^"]*)" means nothing for a one-off audience/, (r) => `一次性人群只在开始时间进入一次，之后不会再运行，「${r[1] === 'always' ? '总是允许' : '间隔后允许'}」重复进入没有任何作用。请把「重复进入」改回「不允许」；想定期重复的活动，请把入口改成「定时圈选人群」`],
  // exit-shadow-checks.ts
  [/^waitForEvent waits for a click, but no send step before it has a link target/, () => `这一步只等「点击链接」，但它前面的发送步骤都没有填「${fieldLabel('zh', 'link')}」：消息里没有链接，没人能点，所有旅程都会走「${branchWords('zh', 'timedOut')}」。请给前面的发送步骤填上「${fieldLabel('zh', 'link')}」，或改等别的事件`],
  // reminder-stop-checks.ts
  [/^this payment reminder is sent even when the order was paid meanwhile/, () => `顾客付款后这条催付仍会发出：旅程从「下单」开始，却不会在「付款」时结束。请在旅程设置的「${fieldLabel('zh', 'exitOn')}」里加上「付款」（按订单号匹配这笔订单），或在这一步前放一个「等待事件」等这笔订单付款，超时未付再发`],
  [/^waitForEvent can never take its "responded" branch: every event it waits for \(([^)]*)\) is also in the flow's exitOn/, (r) => `「${branchWords('zh', 'responded')}」分支永远走不到：这一步等的事件（${r[1]}）也在旅程设置的「${fieldLabel('zh', 'exitOn')}」里，事件一发生旅程就先结束了（勾了「${fieldLabel('zh', 'exitOn.goal')}」的记为达成目标），所以「${branchWords('zh', 'responded')}」和它后面的步骤一直是 0。请二选一：把 ${r[1]} 从「${fieldLabel('zh', 'exitOn')}」里删掉，让这一步来等它（「${branchWords('zh', 'responded')}」连到一个达成目标的结束步骤）；或把这一步换成普通的「等待」`],
  // goal-checks.ts
  [/^this journey has no conversion goal/, () => `这个旅程没有设定转化目标：首页和模拟的「转化」会一直是 0。请在旅程设置的「${fieldLabel('zh', 'exitOn')}」里加上目标事件（例如「付款」）并勾选「${fieldLabel('zh', 'exitOn.goal')}」：任何一步付款，旅程即结束并记为转化。不要只在各组共用的「结束」上勾「${fieldLabel('zh', 'goal')}」：A/B 分流的对照组不发消息、直接走到那里，也会被算作转化`],
  // core/channels/sms-text-checks.ts
  [/^this SMS has no signature/, (_, s) => `短信没有【签名】，运营商会拒发：请在「${s.field}」开头加上店铺签名，例如【示例旗舰店】`],
  [/^this marketing SMS does not say how to unsubscribe/, (_, s) => `营销短信没有退订方式，运营商会拒发：请在「${s.field}」末尾加上「回T退订」`],
  // core/experiment/untracked-split-checks.ts
  // core/policy/path-cap-checks.ts: a send a cap holds back on a path of the journey itself.
  [/^the campaign cap "([^"]+)"(?: \((.*?)\))? allows (\d+) touches, and on a path through this send it is the (\d+)\w\w \(after (.*?)\): it is held back/, (r, s) =>
    `活动上限「${r[2] ?? r[1]}」最多 ${r[3]} 次触达，经过这一步的路径上这已是第 ${r[4]} 次（在${steps(s, r[5])}之后）：走这条路径的顾客都收不到这一条。请从路径里去掉一次触达，或调高上限`],
  [/^the cap "([^"]+)"(?: \((.*?)\))? allows (\d+) in (\S+), and on a path this send comes at most (\S+) after (.*?): it is held back for every customer/, (r, s) =>
    `上限「${r[2] ?? r[1]}」：${durationWords('zh', r[4])}内最多 ${r[3]} 条，这一步最多在${steps(s, r[6])}之后 ${durationWords('zh', r[5])}发出：收到前面那些消息的顾客都收不到这一条。请把间隔拉开到至少 ${durationWords('zh', r[4])}，改用其他渠道或类型，或调高上限`],
  [/^the cap "([^"]+)"(?: \((.*?)\))? allows (\d+) a calendar (day|week|month), and on a path this send can come (\S+|right) after (.*?): when they fall/, (r, s) => {
    const period = PERIOD_WORDS[r[4]];
    return `上限「${r[2] ?? r[1]}」：每个自然${period}最多 ${r[3]} 条，这一步最早在${steps(s, r[6])}之后${r[5] === 'right' ? '马上' : ` ${durationWords('zh', r[5])}`}发出：它们落在同一个${period}里时，这一条会被拦下不发。请把间隔拉开到一个${period}以上，改用其他渠道或类型，或调高上限`;
  }],
  [/^this experiment's split is drawn per journey/, () => `这个实验的「${fieldLabel('zh', 'by')}」是按旅程：实验只按每位顾客的第一段旅程分组计数，同一顾客之后的旅程会重新分组，但不计入任何一组的人数、成本和响应，一位顾客还可能同时在两个组里。要比较各组，请把「${fieldLabel('zh', 'by')}」改为按顾客`],
  [/^this split is not an experiment/, () => `这个分流还没有设成实验：发布后不会有分组对比结果（各组的响应率、提升和显著性）。请在右侧点「+ ${fieldLabel('zh', 'experiment')}」把它设成实验，填一个实验 ID 即可`],
  [/^layout without a flow/, () => '这个布局文件没有对应的旅程文件：请删掉它，或把它改名为「旅程 ID.layout.yaml」'],
  // rule-references.ts ("references" first: its message also holds `unknown rule "…"`)
  [/references rule "([^"]+)", which cannot be used: (.*)$/, (r) => `引用的人群规则「${r[1]}」现在用不了：${brokenCauseWords(r[2])}。请先修好那个文件（rekindle validate 会指出是哪一项）`],
  [/segment "([^"]+)" cannot be used: (.*)$/, (r) => `人群规则「${r[1]}」现在用不了：${brokenCauseWords(r[2])}。请先修好那个文件（rekindle validate 会指出是哪一项），或换一个人群规则`],
  [/references unknown rule "([^"]+)"/, (r) => `引用的人群规则「${r[1]}」不存在：请在条件构建器里改选一个现有的规则`],
  [/unknown rule "([^"]+)"/, (r) => `人群规则「${r[1]}」不存在：请从列表中选一个现有的人群规则`],
  // core/coupons/flow-checks.ts
  // core/coupons/unsent-coupons.ts (the designer says it itself, as local.couponNotSent; these words are for the server's copy)
  [/^prints the coupon that "([^"]+)" issues, which goes out only with that (\S+) message: .*this (\S+) message is held back/, (r, s) => {
    const ch = (c: string) => c.split('/').map((x) => channelLabel('zh', x)).join('或');
    return `这条消息用的是${stepIn(s, r[1])}发的券，可券只随那条${ch(r[2])}一起发出：没收到那条${ch(r[2])}的顾客到这一步手里没有券，这条${ch(r[3])}会被拦下（没有券）。请在这一步的「优惠券」里也选同一张券：收到过的顾客仍用原来的券码，不会拿到第二张`;
  }],
  // core/channels/email-before-sms.ts (the designer says it itself, as local.smsBeforeEmail / local.smsSoonAfterEmail; these words are for the server's copy)
  [/^this marketing SMS goes out before the email "([^"]+)" that follows it/, (r, s) => `这条营销短信比同一条路径上后面的邮件${stepIn(s, r[1])}先发出，顾客先收到短信：经验做法是邮件比对应的短信早 2–3 天发，错开渠道。请先发${stepIn(s, r[1])}，2–3 天后再发这条短信`],
  [/^this marketing SMS goes out (?:at most \S+|right) after the email "([^"]+)" on the same path, less than 2 days/, (r, s) => `这条营销短信离同一条路径上前面的邮件${stepIn(s, r[1])}不到 2 天：经验做法是邮件比对应的短信早 2–3 天发，错开渠道。请在${stepIn(s, r[1])}和这条短信之间等 2–3 天`],
  [/^mentions a coupon the customer may not hold/, (_, s) => `「${s.field}」提到了优惠券，但顾客到这一步时可能还没有券：请在这一步的「优惠券」里选一张券发出，或让顾客只在发过券的发送步骤之后才到这一步`],
  [/^\{\{coupon\}\} does not say what to print/, (_, s) => `「${s.field}」里的 {{coupon}} 没有说明显示什么：请用 {{coupon.code}}（券码）、{{coupon.amount}}（面额）或 {{coupon.expires}}（到期日）`],
  [/^\{\{([^}]*)\}\}: a coupon has/, (r, s) => `「${s.field}」里的 {{${r[1]}}} 不存在：优惠券只有 {{coupon.code}}、{{coupon.amount}}、{{coupon.expires}}`],
  [/^names a coupon amount as text \("([^"]*)"\)/, (r, s) => `「${s.field}」直接写了券面额「${r[1]}」：请改用 {{coupon.amount}} 并在这一步发券，让文案与顾客手里的券一致`],
  [/^coupon template "([^"]+)" is not in rules\/coupons\.yaml/, (r) => `优惠券模板「${r[1]}」不在 rules/coupons.yaml 中，请从列表里选一张`],  // flow/message-checks.ts
  [/^uses \{\{link\}\} but has no link target/, (_, s) => `「${s.field}」里用了 {{link}}，但这一步没有填写「链接」：顾客收到的消息里不会有链接。请填写链接，或删掉 {{link}}`],
  [/^\{\{([^}]*)\}\} is not a message variable .*did you mean \{\{([^}]*)\}\}\?$/, (r, s) => `「${s.field}」里的 {{${r[1]}}} 不是可用的变量，顾客看到的会是空白：是不是想写 {{${r[2]}}}？`],
  [/^\{\{([^}]*)\}\} is not a message variable/, (r, s) => `「${s.field}」里的 {{${r[1]}}} 不是可用的变量，顾客看到的会是空白：请从「插入变量」里选一个`],
  [/^\{\{([^}]*)\}\} does not say which field to print/, (r, s) => `「${s.field}」里的 {{${r[1]}}} 没有说明显示哪一项：请从「插入变量」里选一个，例如 {{customer.name}}`],
  // flow/wait-length-checks.ts
  [/^\w+ \S+ is (\d+) days, longer than (\d+) days: every customer who reaches this step/, (r, s) => `「${s.field}」是 ${r[1]} 天，超过 ${r[2]} 天：到这一步的每位顾客都要等这么久。请检查数字（是不是想写小时或更少的天数？）`],
  // flow/date-checks.ts
  [/^startAt (.+?) is already past \(now (.+?)\): customers would all enter at once/, (r, s) => `「${s.field}」${shopDate(r[1])} 已经过去（现在是 ${shopDate(r[2])}）：一发布，全部顾客会立刻同时进入，后面的每一步也会马上执行，而不是按原定日期。请把「${s.field}」改到将来（已在运行、顾客已经进入过的旅程不受影响，不会再次进入）`],
  [/^untilDate (.+?) is already past \(now (.+?)\): the wait passes at once/, (r, s) => `「${s.field}」${shopDate(r[1])} 已经过去（现在是 ${shopDate(r[2])}）：这一步会立刻放行，到达的顾客直接进入下一步。请改成将来的日期，或改为等待一段时间（到期前已在等待的顾客已经继续往下走了）`],
  [/^untilDate (.+?) is before the audience startAt (.+?) it follows/, (r, s) => `「${s.field}」${shopDate(r[1])} 早于入口的开始时间 ${shopDate(r[2])}：进入的每位顾客都会立刻通过这一步。请把「${s.field}」改到开始时间之后`],
  // flow/time-of-day-checks.ts (rules/policy.yaml's quiet hours against the times a flow sets)
  [/^at (\d\d:\d\d) with every: hour: only the minute counts, so the schedule runs every hour at :(\d\d)/, (r) => `「${fieldLabel('zh', 'trigger.every')}」是「每小时」，「${fieldLabel('zh', 'trigger.at')}」${r[1]} 里只有分钟起作用：每小时第 ${r[2]} 分圈选一次，不是 ${r[1]}。想每天 ${r[1]} 圈选一次，请把「${fieldLabel('zh', 'trigger.every')}」改成「每天」；想每小时圈选，请把「${fieldLabel('zh', 'trigger.at')}」改成 00:${r[2]}`],
  [/^untilTime (\d\d:\d\d) is reached at \S+ itself \((.+) of (\S+)\): the wait is for the next/, (r, s) => `由${stepIn(s, r[3])}${timeOrigin(r[2])}的顾客到这一步时正好是 ${r[1]}，要等到第二天的 ${r[1]}，整整多等一天：请删掉这一步，或改等另一个时间`],
  [/^(\S+) \((\w+)\) is reached at (\d\d:\d\d) by (.+) of (\S+), inside the \w+ quiet hours (\d\d:\d\d)–(\d\d:\d\d) \(rules\/policy\.yaml\): it is held until \S+, (.+?) later, but expires after (\S+), so it is always skipped/, (r, s) =>
    `${quietWhere(r, s)}：消息要压到 ${r[7]}（${hoursWords(r[8])}后）才能发，但「${fieldLabel('zh', 'expiresAfter')}」只有 ${durationWords('zh', r[9])}，所以每一条都会被跳过，一条也发不出去。请把时间改到免打扰时段之外，把「${fieldLabel('zh', 'expiresAfter')}」改到 ${hoursWords(r[8])}以上，或在这一步勾选「${fieldLabel('zh', 'urgent')}」`],
  [/^(\S+) \((\w+)\) is reached at (\d\d:\d\d) by (.+) of (\S+), inside the \w+ quiet hours (\d\d:\d\d)–(\d\d:\d\d) \(rules\/policy\.yaml\): every message waits until \S+, (.+?) later/, (r, s) =>
    `${quietWhere(r, s)}：每条消息都要等到 ${r[7]}（${hoursWords(r[8])}后）才发出。请把时间改到免打扰时段之外；确实必须夜里发的，在这一步勾选「${fieldLabel('zh', 'urgent')}」`],
  // flow/event-checks.ts
  [/^the shop's own events cannot be checked \((.*) here\): rules\/shop\.yaml, where they are declared, could not be read \((.*)\)/, (r, s) => `「${s.field}」的事件 ${r[1].replace(/"/g, '')} 暂时无法检查：声明店铺事件的 rules/shop.yaml 读取失败（${r[2]}）。请先让开发同事修好 rules/shop.yaml`],
  [/^event "([^"]*)" is not an event the shop records: did you mean "([^"]*)"\?/, (r, s) => `「${s.field}」的事件「${r[1]}」不存在，旅程永远等不到它：是不是想写「${r[2]}」？请从列表里选择`],
  [/^event "([^"]*)" is neither one the system records, nor declared/, (r, s) => `「${s.field}」的事件「${r[1]}」系统不会记录，店铺规则文件 rules/shop.yaml 里没有声明，也从未发送过：旅程可能永远不会因它开始、响应或结束。请从列表里选择；若是店铺通过接口自己发送的事件，请让开发同事在 rules/shop.yaml 里声明它（名称和说明），之后就不再提示`],
];

/** Conditions (core/rules/rule-file.ts, operators.ts), inline in a step or in a segment file. */
const CONDITIONS: Rule[] = [
  [/^conditions nested deeper than (\d+) levels/, (r) => `条件嵌套超过 ${r[1]} 层：请把一部分条件另存为人群规则，再在这里引用它`],
  [/^expected a condition \(/, () => '有一个条件不完整：请在条件构建器里重新选择指标、比较方式和值'],
  [/^a condition has exactly one of all\/any\/not/, () => '一个条件组只能是「全部满足」「任一满足」「都不满足」中的一种：请在条件构建器里分成两组'],
  [/^unexpected key "([^"]*)" beside "([^"]*)"/, (r) => `条件里「${group(r[2])}」旁边多了设置项「${r[1]}」：请在条件构建器里重新设置这个条件`],
  [/^"([^"]*)" must be a list of conditions/, (r) => `「${group(r[1])}」里应是一组条件：请在条件构建器里重新添加条件`],
  [/^"([^"]*)" holds (\d+) conditions; at most (\d+)/, (r) => `「${group(r[1])}」最多 ${r[3]} 个条件（现在 ${r[2]} 个）：请把一部分条件另存为人群规则再引用`],
  [/^expected the name of another rule/, () => '引用的人群规则名称无效：请在条件构建器里从列表中选一个规则'],
  [/^unexpected key "([^"]*)" \(a condition is/, (r) => `条件里多了设置项「${r[1]}」：一个条件只有指标、比较方式和值`],
  [/^missing "([^"]*)"$/, (r) => `缺少「${CONDITION_PART[r[1]] ?? r[1]}」：请在条件构建器里补上`],
  [/^unknown fact (.*) \(known:/, (r) => `不认识的指标「${unquote(r[1])}」：请在条件构建器里从列表中选一个指标`],
  [/^unknown operator (.*) \(known:/, (r) => `不认识的比较方式「${unquote(r[1])}」：请在条件构建器里从列表中选一个`],
  [/^operator (\w+) does not apply to (\w+)/, (r) => `「${fact(r[2])}」不能用「${operator(r[1])}」比较：请换一种比较方式`],
  [/^the top of "conditions" must be one of/, () => '条件的最外层应是「全部满足」「任一满足」「都不满足」或引用一个人群规则：请用条件构建器重新设置'],
  [/^a rule file holds/, () => '人群规则文件应包含 name、title（可选）、description（可选）和 conditions'],
  [/^unexpected key "([^"]*)" \(a rule file holds/, (r) => `人群规则文件里多了设置项「${r[1]}」：请删掉它`],
  [/^expected a rule name of lower-case letters/, () => '人群规则名称只能用小写字母、数字和「-」'],
  [/^the name "([^"]*)" must equal the file name "([^"]*)"/, (r) => `人群规则名称「${r[1]}」与文件名「${r[2]}」不一致：请改成一样的`],
  [/^expected text$/, (_, s) => `「${s.field}」应填写文字`],
  [/^expected the segment's name in words/, () => '人群的标题（title）应是一段文字，例如「高价值沉睡客户」'],
  [/^at most (\d+) characters, got (\d+)/, (r) => `最多 ${r[1]} 个字，现在有 ${r[2]} 个`],
  // operators.ts: a condition's value
  [/^expected a number between (-?[\d,.]+) and (-?[\d,.]+) for (\w+)/, (r) => `「${fact(r[3])}」的值应在 ${r[1]} 到 ${r[2]} 之间`],
  [/^expected a number of days from (\d[\d,]*) to (\d[\d,]*) for (\w+)/, (r) => `「${fact(r[3])}」应是 ${r[1]} 到 ${r[2]} 之间的天数`],
  [/^expected a number for (\w+)/, (r) => `「${fact(r[1])}」的值应是一个数字`],
  [/^expected a date \(.*\) for (\w+)/, (r) => `「${fact(r[1])}」的值应是一个日期：请用日期选择器选择`],
  [/^expected true or false for (\w+)/, (r) => `「${fact(r[1])}」的值应是「是」或「否」`],
  [/^expected one of .* for (\w+), got/, (r) => `「${fact(r[1])}」的值请从列表中选择`],
  [/^expected text for (\w+)/, (r) => `「${fact(r[1])}」的值应是文字`],
  [/^(\S+) is an? (\S+) fact$/, (r) => `「${fact(r[1])}」不能这样比较：请换一种比较方式`],
  [/^at most ([\d,]+) values for (\w+), got ([\d,]+)/, (r) => `「${fact(r[2])}」最多 ${r[1]} 个值（现在 ${r[3]} 个）：长名单请放到 rules/lists/ 或另存为人群规则`],
  [/^expected a list of values for (\w+)/, (r) => `「${fact(r[1])}」应填写一组值`],
  [/^expected a text element of (\w+)/, (r) => `「${fact(r[1])}」的每个值都应是文字`],
  [/^expected \[low, high\] for (\w+)/, (r) => `「${fact(r[1])}」需要两个值：下限和上限`],
  [/^low (.*) is above high (.*)$/, (r) => `下限 ${r[1]} 大于上限 ${r[2]}：请对调两个值`],
  [/^at most (\d+) days for (\w+)/, (r) => `「${fact(r[2])}」最多 ${r[1]} 天`],
];

function said(rules: Rule[], message: string, s: Said): string | null {
  for (const [re, words] of rules) {
    const r = re.exec(message);
    if (r) return words(r, s);
  }
  return null;
}

/** Chinese words for a server problem, or null when the message has none yet. */
export function serverProblemWords(p: Problem, flow?: DraftFlow | null): string | null {
  let m = p.message;
  // `layout: …` (the designer's reading of a layout file) and `… (in conditions at all.0)`: the
  // place first, then the message they wrap.
  const layout = /^layout: /.test(m);
  if (layout) m = m.slice('layout: '.length);
  // Conditions' own problems lead with their place (`conditions.all[0].fact: …`, as a segment file's);
  // older servers put it after the message (`… (in conditions at all.0.fact)`).
  const inConditions = / \(in conditions(?: at ([^)]*))?\)$/.exec(m) ?? /^conditions(?:[.[][^:\s]*)?: /.exec(m);
  if (inConditions) m = inConditions.index === 0 ? m.slice(inConditions[0].length) : m.slice(0, inConditions.index);
  let item = '';
  const element = /^\[(\d+)\]: /.exec(m);
  if (element) {
    item = `第 ${Number(element[1]) + 1} 个值：`;
    m = m.slice(element[0].length);
  }
  const rel = p.path.replace(/^nodes\.\d+\./, '');
  if (rel && m.startsWith(`${rel}: `)) m = m.slice(rel.length + 2);
  // A whole step that is not a step (`nodes.3`) is named as one.
  const s: Said = { field: /^nodes\.\d+$/.test(p.path) ? '步骤' : fieldLabel('zh', schemaPathOf(p.path)), rel, nodeId: p.nodeId, node: flow?.nodes.find((n) => n.id === p.nodeId) ?? null, flow };
  // In conditions, the conditions' own words first: FLOW's date-time words would take a value's "ISO-8601".
  const words = inConditions ? (said(CONDITIONS, m, s) ?? said(FLOW, m, s)) : (said(FLOW, m, s) ?? said(ZOD, m, s) ?? said(CONDITIONS, m, s));
  if (words === null) return null;
  return `${layout ? '布局：' : ''}${inConditions ? `${fieldLabel('zh', 'conditions')}：` : ''}${item}${words}`;
}

/**
 * A rule file's problem about its conditions (a segment the designer saves, POST /api/segments)
 * in Chinese, or null when it has no words yet: the conditions' own words first, then zod's.
 */
export function conditionProblemWords(message: string, field = '条件'): string | null {
  const s: Said = { field, rel: '' };
  return said(CONDITIONS, message, s) ?? said(ZOD, message, s);
}
