import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePolicyText, PolicyError } from '../core/policy/policy-text.js';
import { readRulesFile, type NotUtf8Error } from '../core/text/rules-file-text.js';
import { policyReferenceProblems } from './policy-references.js';
import { PolicyVersionConflict, policyVersion } from '../core/policy/policy-version.js';
import { listTitleIn, withListTitle } from '../core/policy/list-title.js';
import { EMPTY_POLICY, type ContactPolicy } from '../core/policy/schema.js';

export const policyFile = (rulesDir: string) => join(rulesDir, 'policy.yaml');
export const listsDir = (rulesDir: string) => join(rulesDir, 'lists');

/**
 * The shop's contact policy as kept in git: rules/policy.yaml plus block lists in rules/lists/.
 * Re-read when the file changes (PUT /api/policy writes it; the running engine picks it up at
 * its next batch without a restart). A shop without the file has no caps.
 */
export class PolicyFile {
  private cached: { mtime: number; policy: ContactPolicy } | null = null;
  private lists = new Map<string, { mtime: number; ids: Set<string> }>();
  private titles = new Map<string, { mtime: number; title: string | null }>();

  /**
   * @param shownAs how errors name the file: the API passes `rules/policy.yaml`, so a refused save
   * never shows the server's folders; the CLI keeps the path it was given.
   */
  constructor(
    readonly rulesDir: string,
    private readonly shownAs: string = policyFile(rulesDir),
  ) {}

  policy(): ContactPolicy {
    const file = policyFile(this.rulesDir);
    if (!existsSync(file)) return EMPTY_POLICY;
    const mtime = statSync(file).mtimeMs;
    if (this.cached?.mtime !== mtime) this.cached = { mtime, policy: parsePolicyText(readRulesFile(file, this.shownAs, asPolicyError), this.shownAs) };
    return this.cached.policy;
  }

  /**
   * The file's text as the designer's policy page edits it (GET /api/policy `yaml`, and the base of
   * a save's `ifVersion`): strict UTF-8 like policy(), so a GBK file is a PolicyError naming the
   * file and line, never mojibake the page would show and save back (policy() alone did not guard
   * it: it is cached by mtime, which a copy or a checkout can keep while the bytes change).
   */
  text(): string {
    const file = policyFile(this.rulesDir);
    return existsSync(file) ? readRulesFile(file, this.shownAs, asPolicyError) : '';
  }

  /**
   * Validates first (the schema, then what it names: policy-references.ts), then replaces the file atomically: a bad policy never lands half-written.
   * With `ifVersion` (policy-version.ts), only when the file still has that version; the check
   * and the write are one synchronous step, so two saves in this process cannot interleave.
   */
  write(text: string, ifVersion?: string): ContactPolicy {
    const file = policyFile(this.rulesDir);
    const policy = parsePolicyText(text, this.shownAs);
    const references = policyReferenceProblems(this.rulesDir, policy, this.shownAs);
    if (references.length) throw new PolicyError(references);
    if (ifVersion !== undefined) {
      const current = policyVersion(this.text());
      if (current !== ifVersion) throw new PolicyVersionConflict(ifVersion, current, this.shownAs);
    }
    const tmp = `${file}.tmp-${process.pid}`;
    writeFileSync(tmp, text);
    renameSync(tmp, file);
    this.cached = null;
    return policy;
  }

  /** External customer ids on a block list (rules/lists/<name>.txt; `#` starts a comment). */
  list(name: string): Set<string> {
    const file = join(listsDir(this.rulesDir), `${name}.txt`);
    if (!existsSync(file)) throw new Error(`${policyFile(this.rulesDir)}: suppression.lists names "${name}", but ${file} does not exist`);
    const mtime = statSync(file).mtimeMs;
    const hit = this.lists.get(name);
    if (hit?.mtime === mtime) return hit.ids;
    const ids = new Set(
      readRulesFile(file, join(this.shownAs, '..', 'lists', `${name}.txt`), asPolicyError)
        .split('\n')
        .map((l) => l.replace(/#.*/, '').trim())
        .filter(Boolean),
    );
    this.lists.set(name, { mtime, ids });
    return ids;
  }

  /**
   * Imports external ids into a block list (replacing them). `title` (checked by the caller:
   * core/policy/list-title.ts) becomes its title; without one, the title it had stays.
   */
  importList(name: string, ids: string[], title?: string): number {
    mkdirSync(listsDir(this.rulesDir), { recursive: true });
    const unique = [...new Set(ids.map((s) => s.trim()).filter(Boolean))];
    const kept = title ?? (this.listNames().includes(name) ? this.listTitle(name) : null);
    writeFileSync(join(listsDir(this.rulesDir), `${name}.txt`), withListTitle(`${unique.join('\n')}\n`, kept));
    this.lists.delete(name);
    this.titles.delete(name);
    return unique.length;
  }

  /**
   * A list's title (its `# title:` line: core/policy/list-title.ts), null when it has none. Only
   * the file's head is read: the title is at its top, and a list can hold a hundred thousand ids.
   */
  listTitle(name: string): string | null {
    const file = join(listsDir(this.rulesDir), `${name}.txt`);
    const mtime = statSync(file).mtimeMs;
    const hit = this.titles.get(name);
    if (hit?.mtime === mtime) return hit.title;
    const head = Buffer.alloc(LIST_HEAD_BYTES);
    const fd = openSync(file, 'r');
    let n: number;
    try {
      n = readSync(fd, head, 0, LIST_HEAD_BYTES, 0);
    } finally {
      closeSync(fd);
    }
    // A head cut short ends mid-line (perhaps mid-character): only its whole lines are read.
    let text = new TextDecoder('utf-8').decode(head.subarray(0, n));
    if (n === LIST_HEAD_BYTES) text = text.slice(0, text.lastIndexOf('\n') + 1);
    const title = listTitleIn(text);
    this.titles.set(name, { mtime, title });
    return title;
  }

  /** Every block list with its title (null: none), by name. */
  listsWithTitles(): { name: string; title: string | null }[] {
    return this.listNames()
      .sort()
      .map((name) => ({ name, title: this.listTitle(name) }));
  }

  /**
   * The titled lists' titles by name (an untitled list left out): what an export reads once, before
   * its first row, to say a send held back by a list by its title (core/text/excel-words.ts).
   */
  titledLists(): Record<string, string> {
    return Object.fromEntries(this.listsWithTitles().flatMap((l) => (l.title ? [[l.name, l.title]] : [])));
  }

  /**
   * Gives a list its title (checked by the caller), its ids unchanged; replaced atomically.
   * Returns the title it had. The list must exist (listNames).
   */
  setListTitle(name: string, title: string): string | null {
    const file = join(listsDir(this.rulesDir), `${name}.txt`);
    const before = this.listTitle(name);
    const text = readRulesFile(file, join(this.shownAs, '..', 'lists', `${name}.txt`), asPolicyError);
    const tmp = `${file}.tmp-${process.pid}`;
    writeFileSync(tmp, withListTitle(text, title));
    renameSync(tmp, file);
    this.titles.delete(name);
    return before;
  }

  listNames(): string[] {
    const dir = listsDir(this.rulesDir);
    return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.txt')).map((f) => f.slice(0, -4)) : [];
  }
}

/** How much of a list file is read for its title (comment lines at its top). */
const LIST_HEAD_BYTES = 4096;

/** A policy file that is not UTF-8 is refused like any other mistake in policy.yaml (naming the file and line), never read as garbled ids or caps. */
const asPolicyError = (e: NotUtf8Error) => new PolicyError([e.message]);
