import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkYamlFile } from '../core/flow/yaml-checks.js';
import { PolicySchema } from '../core/policy/schema.js';

/**
 * The ids of the shop-wide caps (rules/policy.yaml), in the file's order, for the flow checks
 * (core/policy/flow-cap-ids.ts); none while the file is missing or broken (its own problems are
 * reported where it is checked).
 */
export function shopCapIdsOf(rulesDir: string): string[] {
  const file = join(rulesDir, 'policy.yaml');
  if (!existsSync(file)) return [];
  return (checkYamlFile(readFileSync(file, 'utf8'), PolicySchema).value?.caps ?? []).map((c) => c.id);
}
