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
 * A segment id from its name in words: lower-case ASCII words joined by "-". A name without
 * ASCII letters (a Chinese name) gets "audience-<yyyymmdd-hhmm>" — the words stay in the file's
 * title, which is what the designer shows.
 */
export function segmentIdFromName(name: string, now: number): string {
  const words = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '');
  return words || `audience-${new Date(now).toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-')}`;
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
  RuleSet.loadDir(dir).withRule(def);
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
