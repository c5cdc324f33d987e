import type { Lang } from './i18n.js';

/** The answer of POST /api/import/taobao (server/src/api/imports/taobao-import.controller.ts). */
export interface TaobaoImportReply {
  encoding: string | null;
  customers: { created: number; updated: number; unchanged: number; failed: number };
  orders: { created: number; updated: number; unchanged: number; failed: number };
  /** How many rows were not imported (each once: a row may have several errors). */
  refused: number;
  /** Why the rows were not imported, every issue: the line of the export where the order starts, the column, why. */
  errors: { line: number; field: string; message: string }[];
}

/** The server's reasons that have words of their own; the others are shown as the server says them. */
const REASON: Record<string, string> = { required: '不能为空' };

/** How many rows of refusals the page lists before it says how many more there are. */
export const SHOWN_ERRORS = 20;

/**
 * What the customers page says after a Taobao export was imported: how many buyers and orders
 * came in, and each refused row by its line in the file and its column (第 7 行 · 买家会员名：不能为空),
 * so the owner can open the export at that line.
 */
export function taobaoImportWords(lang: Lang, r: TaobaoImportReply): { summary: string; errors: string[]; more: string | null } {
  const zh = lang === 'zh';
  const c = r.customers;
  const o = r.orders;
  const summary = zh
    ? `已导入：顾客新增 ${c.created}、更新 ${c.updated}、未变 ${c.unchanged}；订单新增 ${o.created}、更新 ${o.updated}、未变 ${o.unchanged}` + (r.refused ? `；${r.refused} 行没有导入（见下）` : '；没有出错的行')
    : `Imported: customers ${c.created} new, ${c.updated} updated, ${c.unchanged} unchanged; orders ${o.created} new, ${o.updated} updated, ${o.unchanged} unchanged` + (r.refused ? `; ${r.refused} row(s) not imported (below)` : '; no row failed');
  const line = (e: TaobaoImportReply['errors'][number]) => {
    const why = zh ? (REASON[e.message] ?? e.message) : e.message;
    // A row refused as a whole (too few values) names no column (the server's '(row)').
    const field = e.field && e.field !== '(row)' ? e.field : null;
    return zh ? `第 ${e.line} 行${field ? ` · ${field}` : ''}：${why}` : `line ${e.line}${field ? ` · ${field}` : ''}: ${why}`;
  };
  const more = r.errors.length > SHOWN_ERRORS ? (zh ? `还有 ${r.errors.length - SHOWN_ERRORS} 行没有列出` : `${r.errors.length - SHOWN_ERRORS} more not listed`) : null;
  return { summary, errors: r.errors.slice(0, SHOWN_ERRORS).map(line), more };
}

/** The server's refusal of the whole file, in words where it has some (the rest as the server says it). */
export function taobaoRefusalWords(lang: Lang, message: string): string {
  if (lang !== 'zh') return message;
  const missing = /not a Taobao order export: missing column\(s\) (.+?) \(found: (.*?)…?\)/.exec(message);
  if (missing) return `这不是淘宝/天猫卖家中心的订单导出：缺少列 ${missing[1].split(', ').join('、')}（文件的列是：${missing[2].split(', ').join('、')}…）。请在卖家中心「已卖出的宝贝」导出订单报表后原样上传`;
  const line = /^taobao\.csv: line (\d+): (.*?)(; nothing was imported)?$/.exec(message);
  if (line) return `第 ${line[1]} 行读不了（${line[2]}），整个文件没有导入`;
  return message;
}

/** Megabytes with one decimal (a seller-center export is a few to a few hundred). */
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

/**
 * What the page says while an export is on its way: how much of it is uploaded (上传 42%（3.1 / 7.4 MB）),
 * then, once the server has it all, that it is being imported. `sent` null: nothing heard yet.
 */
export function taobaoBusyWords(lang: Lang, file: string, sent: number | null, total: number): string {
  const zh = lang === 'zh';
  if (sent === null) return zh ? `正在上传「${file}」…` : `Uploading "${file}"…`;
  if (sent >= total) return zh ? `「${file}」已上传（${mb(total)} MB），正在导入…` : `"${file}" uploaded (${mb(total)} MB), importing…`;
  const pct = total > 0 ? Math.floor((sent / total) * 100) : 0;
  return zh ? `正在上传「${file}」… ${pct}%（${mb(sent)} / ${mb(total)} MB）` : `Uploading "${file}"… ${pct}% (${mb(sent)} / ${mb(total)} MB)`;
}
