import { existsSync, linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { RULE_EXTENSIONS, RULE_NAME, RuleFileError, parseRuleFile, ruleFileText, type RuleDefinition } from './rule-file.js';
import { RuleSet } from './rule-set.js';
import { segmentRevision } from './segment-revision.js';

/** A segment of that name is already in rules/segments/ (the designer never overwrites one). */
export class SegmentExistsError extends Error {
  constructor(readonly id: string) {
    super(`a segment "${id}" already exists (rules/segments/${id}.yaml); choose another name`);
  }
}

/**
 * A segment id from its name in words: lower-case ASCII words joined by "-" (a taken one is
 * refused on save, 409, as a name the marketer chose). A name without ASCII letters (a Chinese
 * name) gets "audience-<yyyymmdd-hhmm>" in the shop's time zone (the time the designer and the
 * audit log show beside the file name, not UTC's), with "-2", "-3"… when that is taken in `dir`:
 * two audiences saved in the same minute both save, instead of the second failing on a file name
 * the marketer never typed. The words stay in the file's title, which is what the designer shows.
 */
export function segmentIdFromName(name: string, now: number, timeZone = 'UTC', dir?: string): string {
  const words = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '');
  // Words without a letter are the digits of a Chinese name ("沉睡 90 天以上" → "90"): not telling in
  // git, and the next "沉睡 90 天未付款" would be refused as the same file.
  if (/[a-z]/.test(words)) return words;
  const id = `audience-${shopMinute(now, timeZone)}`;
  return dir === undefined ? id : freeSegmentId(dir, id);
}

/** yyyymmdd-hhmm of an instant on the shop's clock. */
function shopMinute(now: number, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(now))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}${parts.month}${parts.day}-${parts.hour}${parts.minute}`;
}

/** `id`, or the first of `id`-2, `id`-3… with no segment file in `dir`. */
function freeSegmentId(dir: string, id: string): string {
  const taken = (candidate: string) => RULE_EXTENSIONS.some((ext) => existsSync(join(dir, candidate + ext)));
  if (!taken(id)) return id;
  for (let n = 2; ; n++) if (!taken(`${id}-${n}`)) return `${id}-${n}`;
}

/** No segment file of that id in rules/segments/ (an edit of a segment that is not there). */
export class SegmentNotFoundError extends Error {
  constructor(readonly id: string) {
    super(`unknown segment "${id}" (no rules/segments/${id}.yaml)`);
  }
}

/**
 * The segment file changed since the editor read it (another person saved, or a git pull): the
 * edit would silently undo theirs, so it is refused and the file left as it is.
 */
export class SegmentChangedError extends Error {
  constructor(
    readonly id: string,
    readonly revision: string,
  ) {
    super(`rules/segments/${id}.yaml changed since you opened it (someone else saved it, or it was changed in git): reload it, then make your change again; nothing was written`);
  }
}

/**
 * The text of a segment file as every save writes it, checked as every rule file is: produced by
 * ruleFileText, read back through parseRuleFile, then checked against the other segments of `dir`
 * (references, no cycles — an edit that makes a segment reach itself is refused here). One check
 * for a new segment and an edited one, so a rule accepted by one is accepted by the other.
 */
function checkedSegmentText(dir: string, rule: { name: string; title?: string; description?: string; conditions: unknown }): { text: string; def: RuleDefinition } {
  if (!RULE_NAME.test(rule.name) || rule.name.length > 64) {
    throw new RuleFileError([{ source: '(request body)', path: 'id', message: `expected lower-case letters, digits and dashes (at most 64), got ${JSON.stringify(rule.name)}` }]);
  }
  const text = ruleFileText(rule);
  const def = parseRuleFile(text, `rules/segments/${rule.name}.yaml`);
  // The other segment files named as the new one is (rules/segments/…), never by the server's own path.
  RuleSet.loadDir(dir, 'rules/segments').withRule(def);
  return { text, def };
}

/** A temporary file beside `file`, dot-named so the rule loaders (and the engine's folder watch) never read it. */
function tempBeside(dir: string, name: string, text: string): string {
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${name}.yaml.${process.pid}.${Date.now()}.tmp`);
  writeFileSync(tmp, text, { flag: 'wx' });
  return tmp;
}

/**
 * Writes a new segment file (checkedSegmentText), to a temporary file that is hard-linked to its
 * name — link fails when the name exists, so an existing segment is never replaced, even by a
 * concurrent save, and a crash leaves no half-written rule behind.
 */
export function writeSegmentFile(dir: string, rule: { name: string; title?: string; description?: string; conditions: unknown }): { file: string; text: string; rule: RuleDefinition } {
  if (RULE_NAME.test(rule.name) && RULE_EXTENSIONS.some((ext) => existsSync(join(dir, rule.name + ext)))) throw new SegmentExistsError(rule.name);
  const { text, def } = checkedSegmentText(dir, rule);
  const file = join(dir, `${rule.name}.yaml`);
  const tmp = tempBeside(dir, rule.name, text);
  try {
    linkSync(tmp, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new SegmentExistsError(rule.name);
    throw e;
  } finally {
    rmSync(tmp, { force: true });
  }
  return { file, text, rule: def };
}

/** The file of a segment id in `dir` (.yaml, .yml or .json), null when there is none. */
export function segmentFileOf(dir: string, id: string): string | null {
  if (!RULE_NAME.test(id)) return null;
  for (const ext of RULE_EXTENSIONS) if (existsSync(join(dir, id + ext))) return join(dir, id + ext);
  return null;
}

/**
 * Rewrites an existing segment file in place with a new title and rule — only when the file is
 * still the text the editor read (`revision`, segmentRevision of that text): else
 * SegmentChangedError, nothing written. The description the file has is kept. The new text is
 * checked as a new segment's is (checkedSegmentText), written to a temporary file and renamed over
 * the old one, so a reader sees the old text or the new, never half of one. The read, the
 * comparison and the rename run without yielding to the event loop, so two edits in this process
 * cannot interleave between the check and the write.
 */
export function rewriteSegmentFile(dir: string, rule: { name: string; title: string; conditions: unknown; revision: string }): { file: string; before: string; text: string; rule: RuleDefinition; changed: boolean } {
  const file = segmentFileOf(dir, rule.name);
  if (!file) throw new SegmentNotFoundError(rule.name);
  if (extname(file) === '.json') {
    throw new RuleFileError([{ source: `rules/segments/${rule.name}.json`, path: 'name', message: 'a segment kept as JSON is edited in its file (git), not in the designer' }]);
  }
  const before = readFileSync(file, 'utf8');
  if (segmentRevision(before) !== rule.revision) throw new SegmentChangedError(rule.name, segmentRevision(before));
  let description: string | undefined;
  try {
    description = parseRuleFile(before, `rules/segments/${rule.name}${extname(file)}`).description;
  } catch {
    description = undefined; // a file with a mistake is being corrected: there is no description to keep
  }
  const { text, def } = checkedSegmentText(dir, { name: rule.name, title: rule.title, description, conditions: rule.conditions });
  if (text === before) return { file, before, text, rule: def, changed: false };
  const tmp = tempBeside(dir, rule.name, text);
  try {
    renameSync(tmp, file);
  } finally {
    rmSync(tmp, { force: true });
  }
  return { file, before, text, rule: def, changed: true };
}
