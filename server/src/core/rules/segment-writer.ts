import { existsSync, linkSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULE_EXTENSIONS, RULE_NAME, RuleFileError, parseRuleFile, ruleFileText, type RuleDefinition } from './rule-file.js';
import { RuleSet } from './rule-set.js';

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

/**
 * Writes a new segment file: the text is produced by ruleFileText and read back through
 * parseRuleFile (the same checks as every rule file), then checked against the other segments
 * (references, no cycles). Only then is it written, to a temporary file that is hard-linked to its
 * name — link fails when the name exists, so an existing segment is never replaced, even by a
 * concurrent save, and a crash leaves no half-written rule behind.
 */
export function writeSegmentFile(dir: string, rule: { name: string; title?: string; description?: string; conditions: unknown }): { file: string; text: string; rule: RuleDefinition } {
  if (!RULE_NAME.test(rule.name) || rule.name.length > 64) {
    throw new RuleFileError([{ source: '(request body)', path: 'id', message: `expected lower-case letters, digits and dashes (at most 64), got ${JSON.stringify(rule.name)}` }]);
  }
  if (RULE_EXTENSIONS.some((ext) => existsSync(join(dir, rule.name + ext)))) throw new SegmentExistsError(rule.name);
  const file = join(dir, `${rule.name}.yaml`);
  const text = ruleFileText(rule);
  const def = parseRuleFile(text, `rules/segments/${rule.name}.yaml`);
  // The other segment files named as the new one is (rules/segments/…), never by the server's own path.
  RuleSet.loadDir(dir, 'rules/segments').withRule(def);
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${rule.name}.yaml.${process.pid}.${Date.now()}.tmp`);
  writeFileSync(tmp, text, { flag: 'wx' });
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
