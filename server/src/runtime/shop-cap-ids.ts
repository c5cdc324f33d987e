import { existsSync } from 'node:fs';
import { NotUtf8Error, readRulesFile } from '../core/text/rules-file-text.js';
import { join } from 'node:path';
import { checkYamlFile } from '../core/flow/yaml-checks.js';
import { PolicySchema, type Cap } from '../core/policy/schema.js';

/**
 * The shop-wide caps (rules/policy.yaml), in the file's order, for the flow checks: their ids
 * (core/policy/flow-cap-ids.ts) and the caps a journey's paths are judged against
 * (core/policy/path-cap-checks.ts); none while the file is missing or broken (its own problems are
 * reported where it is checked).
 */
export function shopCapsOf(rulesDir: string): Cap[] {
  const file = join(rulesDir, 'policy.yaml');
  if (!existsSync(file)) return [];
  let text: string;
  try {
    text = readRulesFile(file);
  } catch (e) {
    if (e instanceof NotUtf8Error) return []; // broken: said where policy.yaml is checked
    throw e;
  }
  return checkYamlFile(text, PolicySchema).value?.caps ?? [];
}
