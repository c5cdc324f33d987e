import { statSync } from 'node:fs';
import { readRulesFile } from '../core/text/rules-file-text.js';
import { join } from 'node:path';
import { loadShopConfig } from '../config/workspace.js';
import { locate } from '../core/flow/flow-file.js';
import type { FlowProblem } from '../core/flow/problems.js';
import { checkTimesOfDay } from '../core/flow/time-of-day-checks.js';
import { checkYamlFile } from '../core/flow/yaml-checks.js';
import type { YamlSource } from '../core/flow/yaml-location.js';
import { PolicySchema, type QuietHours } from '../core/policy/schema.js';

/**
 * A flow's times of day against the shop's quiet hours (core/flow/time-of-day-checks.ts), for every
 * reader of a flow: `rekindle validate`, the designer's checks of a draft and of a file, and
 * publishing (runtime/flow-files.ts loadValidFlow). They used to run in validate only, so the
 * designer said 没有问题 and published a daily 22:00 SMS that `rekindle validate` (CI) rejects
 * because every message of it is held past its expiry and skipped.
 */

/**
 * A value read from a file, kept while the file's size and modification time stay the same: the
 * designer checks a draft at every pause in typing and every autosave, and reading and parsing
 * policy.yaml and shop.yaml each time added ~3 ms to a ~17 ms check.
 */
const kept = new Map<string, { stamp: string; value: unknown }>();
function readKept<T>(file: string, read: () => T): T {
  let stamp = 'missing';
  try {
    const st = statSync(file);
    stamp = `${st.size}:${st.mtimeMs}`;
  } catch {
    /* missing: read() says what that means */
  }
  const hit = kept.get(file);
  if (hit && hit.stamp === stamp) return hit.value as T;
  const value = read();
  kept.set(file, { stamp, value });
  return value;
}

/** rules/policy.yaml's quiet hours; none while the file is missing or broken (its own problems are reported). */
export function quietHoursOf(rulesDir: string): Partial<Record<string, QuietHours>> {
  const file = join(rulesDir, 'policy.yaml');
  return readKept(file, () => {
    try {
      return checkYamlFile(readRulesFile(file), PolicySchema).value?.quietHours ?? {};
    } catch {
      return {};
    }
  });
}

/** The shop's time zone; the default one while shop.yaml cannot be read (reported as that file's problem). */
export function shopTimeZone(rulesDir: string): string {
  return readKept(join(rulesDir, 'shop.yaml'), () => {
    try {
      return loadShopConfig(rulesDir).timezone;
    } catch {
      return 'Asia/Shanghai';
    }
  });
}

/** A flow's problems plus the times of day it sets that cannot do what they say, in line order. */
export function withTimesOfDay(problems: FlowProblem[], source: YamlSource | undefined, quietHours: Partial<Record<string, QuietHours>>, timeZone: string): FlowProblem[] {
  if (!source) return problems;
  const more = locate(source, checkTimesOfDay(source.value, quietHours, timeZone));
  return more.length ? [...problems, ...more].sort((a, b) => a.line - b.line) : problems;
}
