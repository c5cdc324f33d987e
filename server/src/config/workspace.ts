import { existsSync } from 'node:fs';
import { readRulesFile } from '../core/text/rules-file-text.js';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import { formatProblem } from '../core/flow/problems.js';
import { checkShopText, ShopConfigSchema, type ShopConfig } from '../core/shop-config.js';
import { liveLifecycle } from './live-lifecycle.js';

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
 * rules/shop.yaml, validated: a bad or unknown setting stops start-up with every problem, one a
 * line in line order, as `rekindle validate` prints them (`file:line: setting: problem`, e.g.
 * `rules/shop.yaml:2: timezone: "Asia/Shangai" is not an IANA time zone`).
 */
export function loadShopConfig(rulesDir: string): ShopConfig {
  const file = join(rulesDir, 'shop.yaml');
  if (!existsSync(file)) return ShopConfigSchema.parse({});
  // Relative to the working folder, or the rules folder's own name: never the server's absolute path.
  const rel = relative(process.cwd(), file);
  const shown = rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : join(basename(rulesDir), 'shop.yaml');
  // Not UTF-8: stops start-up like any other mistake in the file, naming it and the line.
  const r = checkShopText(readRulesFile(file, shown));
  if (r.problems.length || !r.value) {
    throw new Error(r.problems.map((p) => formatProblem(shown, p)).join('\n') || `${shown}: not valid`);
  }
  return r.value;
}

/** The rules folder and shop.yaml, whose lifecycle thresholds follow the file while the process runs (live-lifecycle.ts). */
export function openWorkspace(dir?: string): Workspace {
  const rulesDir = resolveRulesDir(dir);
  const shop = loadShopConfig(rulesDir);
  return { rulesDir, shop: { ...shop, lifecycle: liveLifecycle(rulesDir, shop.lifecycle) } };
}

