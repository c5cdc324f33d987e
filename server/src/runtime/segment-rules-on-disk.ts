import { existsSync, readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { RULE_EXTENSIONS } from '../core/rules/rule-file.js';
import { RuleSet } from '../core/rules/rule-set.js';

/**
 * The shop's segments (rules/segments/) as they are on disk now, for a process that runs for days
 * (the server, `rekindle worker`). The engine used to read them once at start: a segment saved
 * from the designer (就地新建受众, POST /api/segments) or pulled from git while the server ran was
 * listed and counted by the designer (which reads the files per request) but unknown to the
 * engine, so publishing the journey built on it was refused ("人群规则「…」不存在") and a
 * published flow's daily entry could not find it — and an edited segment went on selecting its
 * old customers while the designer counted the new ones. Re-read when a file is added, removed
 * or changed (names, sizes and modification times: one stat a file, a few dozen small files).
 * A file that no longer parses (or a reference gone wrong) keeps that rule's last working
 * definition (the engine goes on; `rekindle validate` and the designer name the broken file), and
 * every other file is read as it is now; a rule broken since the first read cannot be used, and
 * what uses it says which file is the cause (rule-set.ts BrokenRuleError).
 */
export class SegmentRulesOnDisk {
  private signature: string;
  private rules: RuleSet;

  constructor(private readonly dir: string) {
    this.signature = signatureOf(dir);
    this.rules = RuleSet.loadDir(dir);
  }

  current(): RuleSet {
    const now = signatureOf(this.dir);
    if (now === this.signature) return this.rules;
    this.rules = RuleSet.loadDir(this.dir).keepingFrom(this.rules);
    this.signature = now;
    return this.rules;
  }
}

function signatureOf(dir: string): string {
  if (!existsSync(dir)) return '';
  const parts: string[] = [];
  for (const f of readdirSync(dir).sort()) {
    if (!RULE_EXTENSIONS.includes(extname(f))) continue;
    try {
      const s = statSync(join(dir, f));
      parts.push(`${f}:${s.size}:${s.mtimeMs}`);
    } catch {
      parts.push(`${f}:gone`); // removed between the listing and the stat
    }
  }
  return parts.join('|');
}
