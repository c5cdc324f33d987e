import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { checkYamlFile } from '../core/flow/yaml-checks.js';
import { ShopConfigSchema, type ShopConfig } from '../core/shop-config.js';

/**
 * The workspace is the shop's `rules/` folder (versioned in git): shop.yaml, segments/, flows/,
 * schema/. The server, the CLI and the tests all locate it the same way.
 */
export interface Workspace {
  rulesDir: string;
  shop: ShopConfig;
}

export function resolveRulesDir(dir?: string, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(dir ?? env.REKINDLE_RULES ?? 'rules');
}

/**
 * rules/shop.yaml, validated: a bad or unknown setting stops start-up with `file:line setting: problem`
 * (e.g. `rules/shop.yaml:2 timezone: "Asia/Shangai" is not an IANA time zone`).
 */
export function loadShopConfig(rulesDir: string): ShopConfig {
  const file = join(rulesDir, 'shop.yaml');
  if (!existsSync(file)) return ShopConfigSchema.parse({});
  const shown = relative(process.cwd(), file).startsWith('..') ? file : relative(process.cwd(), file);
  const r = checkYamlFile(readFileSync(file, 'utf8'), ShopConfigSchema);
  if (r.problems.length || !r.value) {
    throw new Error(r.problems.map((p) => `${shown}:${p.line} ${p.path ? `${p.path}: ` : ''}${p.message}`).join('; ') || `${shown}: not valid`);
  }
  return r.value;
}

export function openWorkspace(dir?: string): Workspace {
  const rulesDir = resolveRulesDir(dir);
  return { rulesDir, shop: loadShopConfig(rulesDir) };
}

