/**
 * A block list's title: the words a person knows the list by (差评顾客), where its name is the file's
 * id (bad-reviews, rules/lists/bad-reviews.txt). It lives in the list file itself, as a comment line
 * at its top — `# title: 差评顾客` — so it travels with the list in git, and every reader of the list
 * (which skips `#` lines) reads the ids exactly as before. A list without that line (every list made
 * before titles) has no title: the designer and the CLI then say it in words of their own.
 */

/** Titles by list name (a list without one: absent or null): what the words for a held-back send read once and look lists up in. */
export type ListTitles = Readonly<Record<string, string | null>>;

/** A list's name, the file's id (rules/lists/<name>.txt). */
export const LIST_NAME = /^[a-z0-9][a-z0-9-_]*$/;

/** Longer than this is a description, not a title (it must fit a choice and a line of `rekindle lists`). */
export const LIST_TITLE_MAX = 60;

const TITLE_LINE = /^#\s*title:[ \t]*(.*)$/;

/** A title refused, saying why; the caller names the field (`title`, `--title`). */
export class ListTitleError extends Error {}

/** The title given, trimmed: refused when empty, too long or more than one line. */
export function checkedListTitle(title: unknown): string {
  if (typeof title !== 'string') throw new ListTitleError('expected text, the list\'s title (e.g. 差评顾客)');
  const t = title.trim();
  if (!t) throw new ListTitleError('must not be empty');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\u2028\u2029]/.test(t)) throw new ListTitleError('must be one line, without control characters');
  const length = [...t].length;
  if (length > LIST_TITLE_MAX) throw new ListTitleError(`at most ${LIST_TITLE_MAX} characters (got ${length})`);
  return t;
}

/**
 * The title in a list file's text (or its first lines): the `# title:` line among the comments at
 * its top, before the first id. null: none, or an empty one.
 */
export function listTitleIn(text: string): string | null {
  for (const raw of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    if (!line.startsWith('#')) return null;
    const m = TITLE_LINE.exec(line);
    if (m) return m[1].trim() || null;
  }
  return null;
}

/** The list file's text with `title` as its title line (replacing one it had; null: none). */
export function withListTitle(text: string, title: string | null): string {
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  // The title line among the comments at the top goes (it is written again first).
  let i = 0;
  const kept: string[] = [];
  for (; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line && !line.startsWith('#')) break;
    if (!TITLE_LINE.test(line)) kept.push(lines[i]);
  }
  const rest = [...kept, ...lines.slice(i)].join('\n');
  return title === null ? rest : `# title: ${title}\n${rest}`;
}
