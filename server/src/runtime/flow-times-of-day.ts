import { existsSync, readFileSync } from 'node:fs';
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

/** rules/policy.yaml's quiet hours; none while the file is missing or broken (its own problems are reported). */
export function quietHoursOf(rulesDir: string): Partial<Record<string, QuietHours>> {
  const file = join(rulesDir, 'policy.yaml');
  if (!existsSync(file)) return {};
  return checkYamlFile(readFileSync(file, 'utf8'), PolicySchema).value?.quietHours ?? {};
}

/** The shop's time zone; the default one while shop.yaml cannot be read (reported as that file's problem). */
export function shopTimeZone(rulesDir: string): string {
  try {
    return loadShopConfig(rulesDir).timezone;
  } catch {
    return 'Asia/Shanghai';
  }
}

/** A flow's problems plus the times of day it sets that cannot do what they say, in line order. */
export function withTimesOfDay(problems: FlowProblem[], source: YamlSource | undefined, quietHours: Partial<Record<string, QuietHours>>, timeZone: string): FlowProblem[] {
  if (!source) return problems;
  const more = locate(source, checkTimesOfDay(source.value, quietHours, timeZone));
  return more.length ? [...problems, ...more].sort((a, b) => a.line - b.line) : problems;
}
