/**
 * A journey's name in the audit log. Entries about a flow (`flow:<id>`) record the flow's name as it
 * was when the entry was written (`detail.name`), and the live version a pause, resume or stop acted
 * on: read back, an entry names what was published, paused or asked for then. The log used to be
 * read with the flow file's name of the moment, so after a rename every older entry said the new
 * name (`flow-published … (双十一大促 2027)` for what went live as 双十一大促).
 */

/** `{name}` for an audit entry's detail: the flow's name, when it has one (a draft may not yet). */
export function flowNameDetail(flow: unknown): { name?: string } {
  const name = flow && typeof flow === 'object' ? (flow as { name?: unknown }).name : undefined;
  return typeof name === 'string' && name.trim() ? { name: name.trim() } : {};
}

/** `{name, version}` of the live version a pause, resume or stop acted on (none: not published, nothing to say). */
export function liveVersionDetail(live: { version: number; flow: unknown } | null): { name?: string; version?: number } {
  return live ? { ...flowNameDetail(live.flow), version: live.version } : {};
}

/** The name an entry about a flow shows, and whether it was recorded with the entry or is the flow's name now. */
export interface AuditFlowName {
  name: string;
  /** false: an entry written before names were recorded, shown with the flow file's name of now. */
  recorded: boolean;
}

/**
 * The name of the flow an entry names: the one recorded with it, else (entries written before
 * names were recorded) the flow's name now from `namesNow` (by id), else null. Null too for an
 * entry about something else than a flow.
 */
export function auditFlowName(entry: { target: string; detail: Record<string, unknown> }, namesNow: ReadonlyMap<string, string>): AuditFlowName | null {
  if (!entry.target.startsWith('flow:')) return null;
  const recorded = entry.detail.name;
  if (typeof recorded === 'string' && recorded) return { name: recorded, recorded: true };
  const now = namesNow.get(entry.target.slice('flow:'.length));
  return now ? { name: now, recorded: false } : null;
}

/**
 * Whether any of `entries` is about a flow and was written before names were recorded: only then
 * are the flow files read for their names now (flowNamesNow reads and parses every one of them).
 */
export function needsFlowNamesNow(entries: readonly { target: string; detail: Record<string, unknown> }[]): boolean {
  return entries.some((e) => e.target.startsWith('flow:') && !(typeof e.detail.name === 'string' && e.detail.name));
}

/**
 * An entry as GET /api/audit and `rekindle audit --json` give it: as stored, and for a flow with a
 * name, `targetName` (auditFlowName) and `targetNameRecorded` (false: the flow's name now).
 */
export function withAuditFlowName<E extends { target: string; detail: Record<string, unknown> }>(entry: E, namesNow: ReadonlyMap<string, string>): E & { targetName?: string; targetNameRecorded?: boolean } {
  const named = auditFlowName(entry, namesNow);
  return named ? { ...entry, targetName: named.name, targetNameRecorded: named.recorded } : entry;
}
