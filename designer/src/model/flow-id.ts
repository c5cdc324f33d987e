/**
 * A flow id from its name: lower-case ASCII words joined by "-" (what a file name and a URL
 * accept). A name without ASCII letters (a Chinese name) gets "journey-<yyyymmdd>"; either way
 * the id stays editable until the flow is first published.
 */
export const FLOW_ID = /^[a-z0-9][a-z0-9-]*$/;

export function idFromName(name: string, taken: ReadonlySet<string>, now = Date.now()): string {
  const words = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '');
  const base = words || `journey-${new Date(now).toISOString().slice(0, 10).replace(/-/g, '')}`;
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
}

/** Why an id cannot be used (an i18n key), or null when it can. */
export function idProblem(id: string, taken: ReadonlySet<string>): string | null {
  if (!id) return 'id.empty';
  if (id.length > 64) return 'id.tooLong';
  if (!FLOW_ID.test(id)) return 'id.chars';
  if (taken.has(id)) return 'id.taken';
  return null;
}

/**
 * Why 创建 cannot go ahead yet (an i18n key), or null: a journey needs a name. Without one, a blank
 * journey was created as "journey-20261130" with that id for a name, which the marketer then found
 * on the home list without knowing what it was; asking is better than guessing a name.
 */
export function newFlowProblem(name: string, id: string, taken: ReadonlySet<string>): string | null {
  if (!name.trim()) return 'new.nameEmpty';
  return idProblem(id, taken);
}
