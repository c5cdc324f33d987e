import { errorText } from './error-words.js';
import type { Lang } from './i18n.js';
import { conditionProblemWords } from './server-problem-words.js';

/**
 * Why 新人群 (an audience saved as a segment file, POST /api/segments) was refused, in the
 * marketer's words: the server's 422 names the place in the rule file it would have written
 * (`conditions.all[0].value`) and says what is wrong in English; the designer says which condition
 * of the builder (第 1 条条件) and which part of it (指标 / 比较方式 / 值), and what to do, in Chinese.
 */

const GROUP: Record<string, string> = { all: '全部满足', any: '任一满足', not: '都不满足' };
const PART: Record<string, string> = { fact: '指标', operator: '比较方式', value: '值', path: '属性', params: '参数' };

/**
 * "conditions.all[0].value" → "第 1 条条件的「值」"; a condition inside a group inside the top
 * group: "第 2 条条件（「任一满足」组里的第 1 条）的「指标」". Null when the path is not in the conditions.
 */
export function conditionPlace(path: string): string | null {
  const m = /^conditions((?:\.(?:all|any)\[\d+\]|\.not)*)(?:\.(\w+))?$/.exec(path.replace(/\.(\d+)(?=\.|$)/g, '[$1]').replace(/\.(all|any)\[/g, '.$1['));
  if (!m) return null;
  const steps = [...m[1].matchAll(/\.(all|any)\[(\d+)\]|\.not/g)].map((s) => (s[1] ? { group: s[1], n: Number(s[2]) + 1 } : { group: 'not', n: 0 }));
  const numbered = steps.filter((s) => s.n > 0);
  const part = m[2] && !GROUP[m[2]] ? PART[m[2]] ?? m[2] : null;
  if (!numbered.length) return part ? `条件的「${part}」` : '条件';
  const [top, ...inner] = numbered;
  const innerWords = inner.map((s) => `「${GROUP[s.group]}」组里的第 ${s.n} 条`).join('、');
  return `第 ${top.n} 条条件${innerWords ? `（${innerWords}）` : ''}${part ? `的「${part}」` : ''}`;
}

/** The server's message for a field of the request itself ("name: give the audience a name"). */
const REQUEST: [RegExp, string][] = [
  [/^name: give the audience a name/, '请填写人群名称'],
  [/^name: /, '人群名称太长：最多 200 个字'],
  [/^id: /, '文件名最多 64 个字符'],
];

export function audienceErrorWords(lang: Lang, e: unknown): string {
  if (lang !== 'zh') return errorText(lang, e);
  const err = e as { status?: unknown; code?: unknown; problems?: { path?: string; message?: string }[]; message?: string };
  // 409 (a taken name) and anything but a refused rule: the words every view uses.
  if (err.status !== 422) return errorText(lang, e);
  const problems = Array.isArray(err.problems) ? err.problems : [];
  if (problems.length) {
    return problems
      .map((p) => {
        const path = String(p.path ?? '');
        const message = String(p.message ?? '');
        // The file name (the 文件名 field, or the one derived from the name): segment-writer.ts, rule-file.ts.
        if (path === 'id' || path === 'name') return `文件名只能用小写字母、数字和「-」（最多 64 个字符）：请改一下「文件名」`;
        const place = conditionPlace(path);
        const words = conditionProblemWords(message, place ?? '条件') ?? `规则有误（${message}）`;
        return place ? `${place}：${words}` : words;
      })
      .join('；');
  }
  const message = typeof err.message === 'string' ? err.message : '';
  for (const [re, words] of REQUEST) if (re.test(message)) return words;
  return `人群规则有误：${message}`;
}
