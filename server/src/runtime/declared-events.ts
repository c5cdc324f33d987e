import { existsSync, statSync } from 'node:fs';
import { NotUtf8Error, readRulesFile } from '../core/text/rules-file-text.js';
import { join } from 'node:path';
import { usableDeclarations, type EventDeclaration } from '../core/data/event-declarations.js';
import { EventTypeCheck } from '../core/data/event-type-check.js';
import { eventCatalog, type EventCatalog } from '../core/flow/event-checks.js';
import { readYaml } from '../core/flow/yaml-location.js';

/** rules/shop.yaml's declarations, or why they could not be read (null when they were, or when there is no file). */
export interface DeclaredEvents {
  declared: EventDeclaration[];
  unreadable: string | null;
}

/**
 * The events rules/shop.yaml declares (`events:`), read from the file each time like the coupon
 * templates (runtime/coupon-catalog.ts), so a declaration added in git is known to the designer
 * and to publishing without a restart. Only the `events` key is read, and only its valid entries:
 * a broken entry is reported by `rekindle validate` and at start, and must not bury every flow
 * under "unknown event" warnings meanwhile. A file that cannot be read at all (YAML syntax, an
 * `events:` that is not a list) is said so (`unreadable`), for the flow checks to say it once
 * instead of calling every declared event undeclared.
 */
export function readDeclaredEvents(rulesDir: string): DeclaredEvents {
  const file = join(rulesDir, 'shop.yaml');
  if (!existsSync(file)) return { declared: [], unreadable: null };
  try {
    const src = readYaml(readRulesFile(file));
    const e = src.syntaxErrors[0];
    if (e) return { declared: [], unreadable: `line ${e.line}: ${e.message}` };
    const value = src.value as { events?: unknown } | null | undefined;
    if (!value || typeof value !== 'object') return { declared: [], unreadable: null };
    if (value.events != null && !Array.isArray(value.events)) return { declared: [], unreadable: `line ${src.lineOf(['events'])}: events: is not a list` };
    return { declared: usableDeclarations(value.events), unreadable: null };
  } catch (e) {
    if (e instanceof NotUtf8Error) return { declared: [], unreadable: `line ${e.line}: not UTF-8 text` };
    // Not the error's text: it names the server's absolute path.
    return { declared: [], unreadable: 'the file could not be read' };
  }
}

export function declaredEventsOf(rulesDir: string): EventDeclaration[] {
  return readDeclaredEvents(rulesDir).declared;
}

/** The events a flow may name without a warning: the system's, the declared ones, and `seen` (the shop's log, where there is one). */
export function knownEventsOf(rulesDir: string, seen: Iterable<string> = []): EventCatalog {
  const { declared, unreadable } = readDeclaredEvents(rulesDir);
  return eventCatalog(seen, declared.map((d) => d.name), unreadable, new Map(declared.filter((d) => d.fields).map((d) => [d.name, Object.keys(d.fields!)])));
}

const typeChecks = new Map<string, { key: string; check: EventTypeCheck }>();

/**
 * The EventTypeCheck of rules/shop.yaml's declarations, for the events API, which asks on every
 * request: rebuilt only when the file changes (its modification time and size), so a declaration
 * added in git counts without a restart, at the cost of one stat per request.
 */
export function eventTypeCheckOf(rulesDir: string): EventTypeCheck {
  const file = join(rulesDir, 'shop.yaml');
  let key = 'none';
  try {
    const st = statSync(file);
    key = `${st.mtimeMs}:${st.size}`;
  } catch {
    // no file: the system's events only
  }
  const cached = typeChecks.get(rulesDir);
  if (cached && cached.key === key) return cached.check;
  const check = new EventTypeCheck(declaredEventsOf(rulesDir).map((d) => d.name));
  typeChecks.set(rulesDir, { key, check });
  return check;
}
