import { statSync } from 'node:fs';
import { readRulesFile } from '../core/text/rules-file-text.js';
import { join } from 'node:path';
import { checkShopText, type LifecycleThresholds } from '../core/shop-config.js';

/**
 * The lifecycle thresholds of rules/shop.yaml as they are in the file now, not as they were when
 * the process started.
 *
 * Why: the documented way to set them is `rekindle analyse --write-thresholds` (or an edit and a
 * `git pull`) while the server runs. The server read shop.yaml once at start, so afterwards the
 * CLI counted sleepers with the new thresholds and the designer (人群 size, publish dialog), the
 * customer view and the daily entry of a sleeping-customer journey with the old ones — 4 sleepers
 * in the designer, 5 from `rekindle segment`, and the journey woke the wrong customers — until a
 * restart nobody was told to do.
 *
 * The object keeps its identity (the journey store, the engine and the SQL compiler hold the shop's
 * config and read `lifecycle.activeDays` when they evaluate): each threshold is a getter that looks
 * at the file at most once per `checkEveryMs` (its mtime and size; no read unless they changed)
 * and takes the new thresholds when the file is valid. A file that does not check (a half-saved
 * edit, a typo) keeps the last good thresholds: start-up and `rekindle validate` report it. Only
 * the thresholds follow the file: the time zone, currency and name stay as started (times already
 * planned in the shop's zone would move under a zone change; that needs a restart).
 */
export function liveLifecycle(rulesDir: string, started: LifecycleThresholds, checkEveryMs = 1000): LifecycleThresholds {
  const file = join(rulesDir, 'shop.yaml');
  let current: LifecycleThresholds = { ...started };
  let seen = stamp(file);
  let checkedAt = Date.now();
  const fresh = (): LifecycleThresholds => {
    const now = Date.now();
    if (now - checkedAt < checkEveryMs) return current;
    checkedAt = now;
    const s = stamp(file);
    if (s === seen) return current;
    seen = s;
    try {
      const r = checkShopText(readRulesFile(file));
      if (r.value && r.problems.length === 0) current = { ...r.value.lifecycle };
    } catch {
      // Unreadable for a moment (removed, being replaced): keep the last good thresholds.
    }
    return current;
  };
  const live = {} as LifecycleThresholds;
  for (const key of Object.keys(started) as (keyof LifecycleThresholds)[]) {
    Object.defineProperty(live, key, { enumerable: true, get: () => fresh()[key] });
  }
  return live;
}

function stamp(file: string): string {
  try {
    const s = statSync(file);
    return `${s.mtimeMs}:${s.size}`;
  } catch {
    return '';
  }
}
