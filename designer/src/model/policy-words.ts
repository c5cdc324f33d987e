import { durationWords } from './duration.js';
import { enumLabel, fieldLabel } from './fields.js';
import type { Lang } from './i18n.js';
import { serverProblemWords } from './server-problem-words.js';
import { eventLabel } from './summary.js';
import { segmentLabel, type SegmentTitles } from './segment-words.js';
import { listLabel, type ListTitles } from './list-titles.js';

/**
 * The shop's contact policy (rules/policy.yaml, GET /api/policy) in the marketer's words, for the
 * contact-rules page: quiet hours, giving up, suppression; the caps are said by cap-words.ts.
 */

const list = (lang: Lang, xs: readonly string[]) => xs.join(lang === 'zh' ? '、' : ', ');
const ALL_CATEGORIES = ['marketing', 'care', 'transactional'];

/** "21:00 至次日 09:00，所有消息（营销、关怀、交易通知）都等到结束后再发". */
export function quietHoursWords(lang: Lang, q: { from?: unknown; to?: unknown; categories?: unknown }): string {
  const zh = lang === 'zh';
  const from = String(q.from ?? '');
  const to = String(q.to ?? '');
  const nextDay = from > to;
  const cats = Array.isArray(q.categories) && q.categories.length ? (q.categories as string[]) : ALL_CATEGORIES;
  const which = cats.length === ALL_CATEGORIES.length && ALL_CATEGORIES.every((c) => cats.includes(c)) ? (zh ? `所有消息（${list(lang, cats.map((c) => enumLabel(lang, c)))}）` : `every message (${list(lang, cats.map((c) => enumLabel(lang, c)))})`) : zh ? `${list(lang, cats.map((c) => enumLabel(lang, c)))}消息` : `${list(lang, cats.map((c) => enumLabel(lang, c)))} messages`;
  return zh ? `${from} 至${nextDay ? '次日 ' : ' '}${to}：${which}等到结束后再发（标为「紧急」的发送步骤除外）` : `${from} to ${to}${nextDay ? ' (next day)' : ''}: ${which} wait until it ends (steps marked urgent excepted)`;
}

/** "60 天内连续 4 次营销消息送达都没有回应（付款、点击）的顾客，暂停营销 90 天；再次购买立即恢复". */
export function giveUpWords(lang: Lang, g: { after?: unknown; within?: unknown; pauseFor?: unknown; until?: unknown; answeredBy?: unknown } | null | undefined): string {
  const zh = lang === 'zh';
  if (!g) return zh ? '不设：从不因为顾客没有回应而停止营销' : 'None: marketing never stops for customers who do not answer';
  const answers = Array.isArray(g.answeredBy) ? list(lang, (g.answeredBy as string[]).map((e) => eventLabel(lang, e))) : '';
  const within = durationWords(lang, g.within ?? '90d');
  const pause = durationWords(lang, g.pauseFor ?? '60d');
  const until = typeof g.until === 'string' ? (zh ? `（至少到 ${g.until.slice(0, 10)}）` : ` (at least until ${g.until.slice(0, 10)})`) : '';
  return zh
    ? `${within}内连续 ${g.after} 次营销消息送达都没有回应（${answers}）的顾客，暂停营销 ${pause}${until}；再次购买立即恢复`
    : `Customers who did not answer (${answers}) ${g.after} delivered marketing messages in ${within} get no marketing for ${pause}${until}; buying again lifts it`;
}

/**
 * The suppression part, one line each: opt-out event, block lists, block rules. A block rule (a
 * segment) is named by its title (`titles`, from GET /api/segments), a block list by its title
 * (`listTitles`, GET /api/policy's blockLists; one without: 未命名名单（its name）, list-titles.ts).
 * The file behind each (rules/lists/<name>.txt, rules/segments/<id>) is only the tooltip (`hint`):
 * the page used to say "屏蔽名单（rules/lists/）", the lists' and the segments' ids.
 */
export function suppressionWords(lang: Lang, s: { unsubscribeEvent?: unknown; lists?: unknown; segments?: unknown } | null | undefined, titles?: SegmentTitles, listTitles: ListTitles = {}): { words: string; names: { text: string; hint: string }[] }[] {
  const zh = lang === 'zh';
  const none = zh ? '无' : 'none';
  const ids = (v: unknown) => (Array.isArray(v) ? (v as unknown[]).map(String) : []);
  const line = (words: string, xs: { text: string; hint: string }[]) => ({ words: xs.length ? words : `${words}${none}`, names: xs });
  return [
    { words: zh ? `顾客发生「${eventLabel(lang, s?.unsubscribeEvent ?? 'unsubscribe')}」事件即退订（事件带渠道时只退订该渠道）` : `An "${eventLabel(lang, s?.unsubscribeEvent ?? 'unsubscribe')}" event opts the customer out (of its channel, when it names one)`, names: [] },
    line(zh ? '屏蔽名单（名单里的顾客收不到营销）：' : 'Block lists (customers on them get no marketing): ', ids(s?.lists).map((n) => ({ text: listLabel(lang, n, listTitles), hint: `rules/lists/${n}.txt` }))),
    line(zh ? '屏蔽人群（符合的顾客收不到营销）：' : 'Block rules (matching customers get no marketing): ', ids(s?.segments).map((n) => ({ text: segmentLabel(n, titles), hint: `rules/segments: ${n}` }))),
  ];
}

/** The place a PUT /api/policy problem names ("caps.0.max") and the problem in the page's language. */
export interface PolicyProblem {
  /** The field's path in the policy, e.g. `caps.0.max`, `quietHours.sms.from`; null: the file as a whole. */
  field: string | null;
  words: string;
}

const PLACE = /(?:^|\s)((?:caps|quietHours|giveUp|suppression)(?:\.[A-Za-z0-9_-]+)*): (.*)$/s;

/** The path the field words are keyed by: list indices and the channel of quiet hours left out. */
const labelPath = (field: string) => field.replace(/^quietHours\.[a-z]+(?=\.|$)/, 'quietHours').replace(/\.\d+(?=\.|$)/g, '');

/**
 * A 400's `problems` ("/…/rules/policy.yaml:5 caps.0.max: Too small: expected number to be >=0")
 * by field, in Chinese naming the field by its label (「最多次数」不能小于 0), so the page shows
 * each beside its field. A problem without a field (YAML syntax) is for the whole page.
 */
export function policyProblems(lang: Lang, problems: readonly unknown[]): PolicyProblem[] {
  return problems.map((raw) => {
    const text = String(raw);
    const m = PLACE.exec(text);
    if (!m) return { field: null, words: lang === 'zh' ? (fileProblemWords(text) ?? text) : text };
    const [, field, message] = m;
    if (lang === 'en') return { field, words: message };
    const path = labelPath(field);
    const words = serverProblemWords({ path, message, nodeId: null, line: 0, severity: 'error' }) ?? `「${fieldLabel('zh', path)}」填写有误：${message}`;
    return { field, words };
  });
}

/** A problem of the file as a whole at a line: a policy.yaml saved as GBK or UTF-16 (core/text/rules-file-text.ts). */
const NOT_UTF8 = /^(\S+?):(\d+): (not UTF-8 text.*)$/s;

/** "rules/policy.yaml 第 7 行：文件不是 UTF-8 编码（…）", or null for other problems (shown as the server said them). */
function fileProblemWords(text: string): string | null {
  const m = NOT_UTF8.exec(text);
  if (!m) return null;
  const words = serverProblemWords({ path: '', message: m[3], nodeId: null, line: Number(m[2]), severity: 'error' });
  return words && `${m[1]} 第 ${m[2]} 行：${words}`;
}

/**
 * Why GET /api/policy was refused, when it names the file's problems (a 400: a policy.yaml that is
 * not valid, or not UTF-8), in the page's language; null for any other failure (load-failure.ts says it).
 * The page shows this instead of the bare "rules/policy.yaml is not valid", which left the admin
 * without the line or the cause.
 */
export function policyLoadProblems(lang: Lang, e: unknown): string | null {
  const err = e as { status?: unknown; problems?: unknown } | null;
  if (typeof err?.status !== 'number' || err.status < 400 || err.status >= 500 || !Array.isArray(err.problems) || !err.problems.length) return null;
  return policyProblems(lang, err.problems)
    // The Chinese words name the field themselves; the English ones are the message after it.
    .map((p) => (lang === 'en' && p.field ? `${p.field}: ${p.words}` : p.words))
    .join(lang === 'zh' ? '；' : '; ');
}

/**
 * A save refused because rules/policy.yaml changed since the page loaded it (PUT /api/policy 409
 * `policy-changed`: another admin saved, or a developer's `git pull`): what happened and what to
 * do, in the page's language; null for any other failure. The edits stay on the page until the
 * admin reloads, so they can be noted and made again on the new rules.
 */
export function policyConflictWords(lang: Lang, e: unknown): string | null {
  // ApiError (api-error.ts): its status, and `code` read from the answer.
  const err = e as { status?: unknown; code?: unknown } | null;
  if (!err || err.status !== 409 || err.code !== 'policy-changed') return null;
  return lang === 'zh'
    ? '没有保存：你打开这个页面之后，有人修改了触达规则，保存会覆盖他的修改。文件没有改动，你的修改还显示在下面：请记下它们，点「重新载入」查看最新的规则，再重新修改并保存。'
    : 'Not saved: someone changed the contact rules after you opened this page, and saving would overwrite their change. The file is unchanged and your edits are still shown below: note them, press "Reload" to see the current rules, then make your edits again and save.';
}
