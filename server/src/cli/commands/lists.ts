import { readFileSync } from 'node:fs';
import { basename, relative } from 'node:path';
import type { Command } from 'commander';
import { parse } from 'csv-parse/sync';
import { detectFileEncoding, decodeText, EncodingError, type TextEncoding } from '../../core/data/import/text-encoding.js';
import { checkedListTitle, LIST_NAME, ListTitleError } from '../../core/policy/list-title.js';
import { PolicyFile, listsDir } from '../../persistence/policy-file.js';
import { placeholders, queryRows } from '../../persistence/sql-batch.js';
import { CliError, cliAudit, commandContext, output, withDatabase } from '../context.js';

/** Customer ids from a file: one a line, or a CSV column (default `externalId`). `#` lines are comments. */
export function readIds(text: string, file: string, column: string): string[] {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  if (firstLine.includes(',')) {
    const rows = parse(text, { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
    if (rows.length && !(column in rows[0])) throw new CliError(`${file}: no column "${column}" (columns: ${Object.keys(rows[0]).join(', ')}); pick one with --column`);
    return rows.map((r) => r[column]).filter(Boolean);
  }
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  // A one-column CSV has no comma to tell its header by: a first line that is the column's name
  // (`externalId`, or the --column given; Excel may quote it or put a BOM before it) is the
  // header, not a customer id. It used to land on the block list as one.
  if (lines.length && unquoted(lines[0]) === column) lines.shift();
  return lines;
}

/**
 * The text of the file a list is imported from, in the encoding `rekindle import` reads its files in
 * (core/data/import/text-encoding.ts): UTF-8, else GBK/GB18030 — what Excel on Chinese Windows saves
 * a CSV as, and Taobao buyer names are Chinese — decoded; else refused naming the file and its first
 * bad line. It was read as UTF-8 whatever it was: a GBK file wrote "С��������" onto the list for
 * 小明爱购物. The list itself is written as UTF-8, like every file under rules/.
 */
async function readIdFile(path: string): Promise<{ text: string; encoding: TextEncoding }> {
  try {
    const encoding = await detectFileEncoding(path);
    return { text: decodeText(readFileSync(path), encoding), encoding };
  } catch (e) {
    if (e instanceof EncodingError) throw new CliError(`${path}${e.line ? `:${e.line}` : ''}: ${e.message.replace(/^body: /, '')}; the list was not changed`);
    throw new CliError(`${path}: ${(e as Error).message}`);
  }
}

/**
 * Whether rules/policy.yaml applies the list. The list is written by then: a broken policy.yaml (a
 * typo, GBK text) is a problem of its own, said as a warning with the list's result, not an exit 1
 * after the list was replaced — which read as "nothing happened" while the file had changed.
 */
function listApplied(file: PolicyFile, name: string): { applied: boolean | null; policyProblem?: string } {
  try {
    return { applied: file.policy().suppression.lists.includes(name) };
  } catch (e) {
    return { applied: null, policyProblem: (e as Error).message };
  }
}

/** The title given on the command line, checked; refused naming the option or argument it came by. */
function titleArgument(title: string, place: string): string {
  try {
    return checkedListTitle(title);
  } catch (e) {
    if (e instanceof ListTitleError) throw new CliError(`${place}: ${e.message}`);
    throw e;
  }
}

/**
 * How a list reads on a line of `rekindle lists`: its title, or that it has none and how to give it
 * one — here, or (an admin) with 起名称 beside the list on the designer's 触达规则 page.
 */
const titleShown = (name: string, title: string | null) => (title ? title : `(no title; give one: rekindle lists title ${name} "<title>", or 起名称 on the designer's 触达规则 page)`);

const unquoted = (cell: string): string => cell.replace(/^\uFEFF/, '').replace(/^"(.*)"$/, '$1').trim();

/**
 * `rekindle lists [import <name> <file> | title <name> <title>]`: block lists (rules/lists/<name>.txt)
 * kept in git like the rest of the shop's rules, e.g. customers who left a bad review or were
 * reminded elsewhere. A list's title (差评顾客) is what people know it by; its name is the file's id.
 */
export function registerLists(program: Command): void {
  const lists = program.command('lists').description('block lists in rules/lists/ (customers kept out of marketing)');

  lists
    .command('show', { isDefault: true })
    .description('the block lists and how many customers each holds')
    .action((_o, cmd: Command) => {
      const ctx = commandContext(cmd);
      const file = new PolicyFile(ctx.workspace.rulesDir);
      const used = new Set(file.policy().suppression.lists);
      const rows = file.listsWithTitles().map(({ name, title }) => ({ name, title, customers: file.list(name).size, applied: used.has(name) }));
      output(ctx, rows, () =>
        rows.length
          ? rows.map((r) => `${r.name.padEnd(24)} ${String(r.customers).padStart(7)}  ${(r.applied ? 'applied (rules/policy.yaml)' : 'not referenced by rules/policy.yaml').padEnd(35)}  ${titleShown(r.name, r.title)}`).join('\n')
          : 'no block lists',
      );
    });

  lists
    .command('import <name> <file>')
    .description('replace a block list with the customer ids in a file (one a line, or a CSV column)')
    .option('--column <name>', 'CSV column holding the external customer id', 'externalId')
    .option('--title <title>', 'what people call the list (e.g. 差评顾客); without it the title the list had stays')
    .action(async (name: string, path: string, o: { column: string; title?: string }, cmd: Command) => {
      const ctx = commandContext(cmd);
      if (!LIST_NAME.test(name)) throw new CliError(`name: "${name}" — list names are lower-case letters, digits, "-" and "_"`);
      const title = o.title === undefined ? undefined : titleArgument(o.title, '--title');
      const { text, encoding } = await readIdFile(path);
      const ids = readIds(text, path, o.column);
      // Say which ids are not customers of this shop: usually a wrong column or a typo.
      const unknown = await withDatabase(ctx, async (ds) => {
        const known = new Set<string>();
        const unique = [...new Set(ids)];
        for (let i = 0; i < unique.length; i += 500) {
          const chunk = unique.slice(i, i + 500);
          for (const r of await queryRows(ds, `SELECT external_id FROM customers WHERE external_id IN (${placeholders(chunk.length)})`, chunk)) known.add(String(r.external_id));
        }
        return unique.filter((id) => !known.has(id));
      });
      const file = new PolicyFile(ctx.workspace.rulesDir);
      const before = file.listNames().includes(name) ? file.list(name).size : null;
      const titleBefore = before === null ? null : file.listTitle(name);
      const written = file.importList(name, ids, title);
      const titleNow = file.listTitle(name);
      await withDatabase(ctx, (ds) => cliAudit(ds, 'block-list-changed', `list:${name}`, { file: `rules/lists/${name}.txt`, before, after: written, source: basename(path), ...(titleNow !== titleBefore ? { titleBefore, title: titleNow } : {}) }));
      const { applied, policyProblem } = listApplied(file, name);
      const target = relative(process.cwd(), `${listsDir(ctx.workspace.rulesDir)}/${name}.txt`);
      output(ctx, { list: name, title: titleNow, file: target, encoding, customers: written, unknown: unknown.length, unknownSample: unknown.slice(0, 10), applied, ...(policyProblem ? { policyProblem } : {}) }, () =>
        [
          `wrote ${target}: ${written} customer id(s)${encoding === 'gb18030' ? ` (${basename(path)} read as GBK/GB18030)` : ''}${titleNow ? `, titled "${titleNow}"` : ''}`,
          unknown.length ? `warning: ${unknown.length} id(s) are not customers of this shop (e.g. ${unknown.slice(0, 5).join(', ')})` : '',
          policyProblem
            ? `warning: cannot tell whether the list is applied: ${policyProblem}`
            : applied
              ? 'applied: rules/policy.yaml names this list under suppression.lists'
              : `not applied yet: add "${name}" to suppression.lists in rules/policy.yaml`,
        ]
          .filter(Boolean)
          .join('\n'),
      );
    });

  lists
    .command('title <name> <title>')
    .description('give a block list its title, what people call it (e.g. 差评顾客); its ids stay as they are (an admin can also do it on the designer\'s 触达规则 page: 改名称 / 起名称)')
    .action(async (name: string, titleText: string, _o, cmd: Command) => {
      const ctx = commandContext(cmd);
      if (!LIST_NAME.test(name)) throw new CliError(`name: "${name}" — list names are lower-case letters, digits, "-" and "_"`);
      const title = titleArgument(titleText, 'title');
      const file = new PolicyFile(ctx.workspace.rulesDir);
      if (!file.listNames().includes(name)) throw new CliError(`name: no block list "${name}" (rules/lists/${name}.txt); make it with: rekindle lists import ${name} <file>`);
      const titleBefore = file.setListTitle(name, title);
      await withDatabase(ctx, (ds) => cliAudit(ds, 'block-list-changed', `list:${name}`, { file: `rules/lists/${name}.txt`, titleBefore, title }));
      output(ctx, { list: name, title, titleBefore }, () => `rules/lists/${name}.txt: titled "${title}"${titleBefore && titleBefore !== title ? ` (was "${titleBefore}")` : ''}`);
    });
}
