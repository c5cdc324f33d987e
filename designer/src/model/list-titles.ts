import type { Lang } from './i18n.js';

/**
 * Block lists (rules/lists/<name>.txt) by their titles, what people call them (差评顾客), as GET
 * /api/policy gives them (`blockLists`). The name is the file's id, which the page showed alone; a
 * list made before titles has none and is said as an untitled list, its name beside it.
 */
export interface BlockListInfo {
  name: string;
  title: string | null;
}

/** Titles by list name (a list without one: absent or null). */
export type ListTitles = Readonly<Record<string, string | null>>;

/** The titles GET /api/policy gave (`blockLists`; an older server gives only `lists`: no titles). */
export function listTitles(blockLists: unknown): ListTitles {
  if (!Array.isArray(blockLists)) return {};
  const out: Record<string, string | null> = {};
  for (const l of blockLists as Partial<BlockListInfo>[]) if (l && typeof l.name === 'string') out[l.name] = typeof l.title === 'string' && l.title.trim() ? l.title : null;
  return out;
}

/** How a list is named where one is chosen: its title (or 未命名名单), and its name as the smaller second line. */
export function listChoice(lang: Lang, name: string, titles: ListTitles): { label: string; detail: string } {
  return { label: titles[name] ?? (lang === 'zh' ? '未命名名单' : 'Untitled list'), detail: name };
}

/** How a list is named in a sentence: its title, else 未命名名单（bad-reviews）— never its name alone. */
export function listLabel(lang: Lang, name: string, titles: ListTitles): string {
  const title = titles[name];
  if (title) return title;
  return lang === 'zh' ? `未命名名单（${name}）` : `Untitled list (${name})`;
}

/**
 * The titled lists as entries of the names a held-back send is told by (cap-words.ts capNames, keyed
 * `list:<name>`): 在屏蔽名单「差评顾客」中 for `blocked:list:bad-reviews` (reason-words.ts), wherever a
 * cap's words reach — the canvas, a customer's journey, a simulation. An untitled list keeps its name
 * there (the sentence already says it is a 屏蔽名单).
 */
export const listNameKey = (name: string) => `list:${name}`;
export function listTitleEntries(blockLists: unknown): { id: string; description: string }[] {
  return Object.entries(listTitles(blockLists)).flatMap(([name, title]) => (title ? [{ id: listNameKey(name), description: title }] : []));
}
