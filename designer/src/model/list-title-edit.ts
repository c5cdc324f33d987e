import type { Lang } from './i18n.js';

/**
 * Giving a block list its title on the contact-rules page (an admin: PUT /api/policy/lists/:name).
 * The rule is the server's (core/policy/list-title.ts: trimmed, 1–60 characters, one line), said
 * before saving and checked here first, so a mistake is named before the round trip; what the server
 * still refuses is said in the same words, naming the field (名单名称), never its English message.
 */

/** The server's limit (LIST_TITLE_MAX): a title must fit a choice and a line of `rekindle lists`. */
export const LIST_TITLE_MAX = 60;

/** What the field is called wherever a problem with it is said. */
const FIELD = { zh: '名单名称', en: 'List name' } as const;

/** The button beside a list: an untitled list is given a title (起名称), a titled one has it changed (改名称). */
export function listTitleAction(lang: Lang, title: string | null | undefined): string {
  if (lang === 'zh') return title ? '改名称' : '起名称';
  return title ? 'Rename' : 'Give it a name';
}

/** The rule, said beside the field before saving. */
export function listTitleRule(lang: Lang): string {
  return lang === 'zh'
    ? `${FIELD.zh}：1–${LIST_TITLE_MAX} 个字，一行，例如「差评顾客」；保存后页面、旅程和导出都用它称呼这份名单，名单里的顾客不变`
    : `${FIELD.en}: 1–${LIST_TITLE_MAX} characters on one line, e.g. "Left a bad review"; once saved the page, the journeys and the exports call the list by it. Its customers stay as they are`;
}

const tooLong = (lang: Lang, got: number) => (lang === 'zh' ? `「${FIELD.zh}」最多 ${LIST_TITLE_MAX} 个字（现在 ${got} 个）` : `${FIELD.en}: at most ${LIST_TITLE_MAX} characters (now ${got})`);
const empty = (lang: Lang) => (lang === 'zh' ? `「${FIELD.zh}」不能为空` : `${FIELD.en}: must not be empty`);
const oneLine = (lang: Lang) => (lang === 'zh' ? `「${FIELD.zh}」只能是一行，不能有换行或控制字符` : `${FIELD.en}: must be one line, without line breaks or control characters`);

/** The title as typed, checked as the server will check it: the problem in words, or null when it may be saved. */
export function listTitleProblem(lang: Lang, typed: string): string | null {
  const t = typed.trim();
  if (!t) return empty(lang);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\u2028\u2029]/.test(t)) return oneLine(lang);
  const length = [...t].length; // characters as the server counts them (code points), not UTF-16 units
  if (length > LIST_TITLE_MAX) return tooLong(lang, length);
  return null;
}

/**
 * A refused save (an ApiError, read by its shape) in words naming the field: the server's 400 says
 * `title: must not be empty`, `title: at most 60 characters (got 61)`…, a 403 that only an admin may,
 * a 404 that the list is gone. null: not a refusal of the title (the caller says it as any error).
 */
export function listTitleSaveWords(lang: Lang, e: unknown, name: string): string | null {
  const err = e as { status?: unknown; message?: unknown; body?: { message?: unknown } | null };
  const said = [err.body?.message, err.message].flat().filter((m): m is string => typeof m === 'string').join('\n');
  const zh = lang === 'zh';
  if (err.status === 403) return zh ? '只有管理员可以给屏蔽名单起名称' : 'Only an admin can name a block list';
  if (err.status === 404) return zh ? `名单「${name}」已经不在了（rules/lists/${name}.txt）：刷新页面看看现在有哪些名单` : `List "${name}" is gone (rules/lists/${name}.txt): reload the page to see the lists there are now`;
  if (err.status !== 400) return null;
  const long = /title: at most \d+ characters \(got (\d+)\)/.exec(said);
  if (long) return tooLong(lang, Number(long[1]));
  if (/title: must not be empty/.test(said)) return empty(lang);
  if (/title: must be one line/.test(said)) return oneLine(lang);
  if (/^title\b/m.test(said)) return zh ? `「${FIELD.zh}」没有填写或不是文字` : `${FIELD.en}: missing, or not text`;
  if (/^name\b/m.test(said)) return zh ? `名单编号「${name}」不对：只能有小写字母、数字、「-」和「_」` : `List id "${name}" is not valid: lower-case letters, digits, "-" and "_" only`;
  return null;
}
