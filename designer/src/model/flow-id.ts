import type { DraftFlow } from './types.js';

/**
 * A flow id from its name: lower-case ASCII words joined by "-" (what a file name and a URL
 * accept). A name without ASCII letters (a Chinese name; no pinyin offline) takes the template it
 * is made from (`payment-reminder-2`), else "journey-<yyyymmdd>" — a stand-in that tells a
 * developer nothing in git, so the publish dialog offers one built from what the journey does
 * (suggestFlowId) while the id can still change: until the flow is first published.
 */
export const FLOW_ID = /^[a-z0-9][a-z0-9-]*$/;
/** The stand-in id of a journey named in Chinese without a template (journey-20261202, journey-20261202-2). */
export const STAND_IN_ID = /^journey-\d{8}(-\d+)?$/;

const slug = (text: string) =>
  text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '');

const unique = (base: string, taken: ReadonlySet<string>) => {
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
};

/**
 * The name's ASCII words, when they say something: digits alone do not ("双十一 2027 大促" gave the
 * id "2027", a year that tells nothing in git or the address; walk20), so such a name takes the
 * stand-in, which the publish dialog replaces with an id from what the journey does.
 */
const wordsOf = (name: string) => {
  const s = slug(name);
  return /[a-z]/.test(s) ? s : '';
};

export function idFromName(name: string, taken: ReadonlySet<string>, now = Date.now(), template?: string | null): string {
  return unique(wordsOf(name) || (template ? slug(template) : '') || `journey-${new Date(now).toISOString().slice(0, 10).replace(/-/g, '')}`, taken);
}

/**
 * An id that says what the journey does, from its drawing: what starts it (the event, 
 * order_created → `order-created`; a schedule's or one-off audience's segment, `d11-audience`)
 * and the channels it sends on, in the order they first appear (`-sms`, `-email-sms`; two at
 * most): `order-created-sms`, `sleeping-reactivation-candidates-email`. Unique among `taken`
 * (`-2`, `-3`…). Null when the drawing says nothing yet (no entry).
 */
export function suggestFlowId(flow: DraftFlow, taken: ReadonlySet<string>): string | null {
  const trigger = (flow.nodes.find((n) => n.type === 'entry')?.trigger ?? {}) as Record<string, unknown>;
  const start = slug(String(trigger.type === 'event' ? (trigger.event ?? '') : (trigger.segment ?? '')));
  if (!start) return null;
  const channels: string[] = [];
  for (const n of flow.nodes) if (n.type === 'send' && typeof n.channel === 'string' && !channels.includes(n.channel)) channels.push(n.channel);
  const base = [start, ...channels.slice(0, 2).map(slug)].filter(Boolean).join('-').slice(0, 60).replace(/-+$/, '');
  return unique(base, taken);
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
