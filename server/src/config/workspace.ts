import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
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

export function loadShopConfig(rulesDir: string): ShopConfig {
  const file = join(rulesDir, 'shop.yaml');
  if (!existsSync(file)) return ShopConfigSchema.parse({});
  let raw: unknown;
  try {
    raw = parse(readFileSync(file, 'utf8')) ?? {};
  } catch (e) {
    throw new Error(`${file}: not valid YAML: ${(e as Error).message}`);
  }
  const result = ShopConfigSchema.safeParse(raw);
  if (!result.success) {
    throw new Error(`${file}: ${result.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ')}`);
  }
  return result.data;
}

export function openWorkspace(dir?: string): Workspace {
  const rulesDir = resolveRulesDir(dir);
  return { rulesDir, shop: loadShopConfig(rulesDir) };
}

