import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { usableDeclarations, type EventDeclaration } from '../core/data/event-declarations.js';
import { eventCatalog, type EventCatalog } from '../core/flow/event-checks.js';
import { readYaml } from '../core/flow/yaml-location.js';

/**
 * The events rules/shop.yaml declares (`events:`), read from the file each time like the coupon
 * templates (runtime/coupon-catalog.ts), so a declaration added in git is known to the designer
 * and to publishing without a restart. Only the `events` key is read, and only its valid entries:
 * a broken shop.yaml or entry is reported by `rekindle validate` and at start, and must not bury
 * every flow under "unknown event" warnings meanwhile.
 */
export function declaredEventsOf(rulesDir: string): EventDeclaration[] {
  const file = join(rulesDir, 'shop.yaml');
  if (!existsSync(file)) return [];
  try {
    const src = readYaml(readFileSync(file, 'utf8'));
    const value = src.value as { events?: unknown } | null | undefined;
    return src.syntaxErrors.length || !value || typeof value !== 'object' ? [] : usableDeclarations(value.events);
  } catch {
    return [];
  }
}

/** The events a flow may name without a warning: the system's, the declared ones, and `seen` (the shop's log, where there is one). */
export function knownEventsOf(rulesDir: string, seen: Iterable<string> = []): EventCatalog {
  return eventCatalog(seen, declaredEventsOf(rulesDir).map((d) => d.name));
}
