/**
 * A flow id from its name: lower-case ASCII words joined by "-" (what a file name and a URL
 * accept, as the server's FlowSchema requires: lower-case letters, digits and "-"). A name without
 * ASCII letters (a Chinese name; no pinyin offline) takes what the journey does and the month it
 * was made in (`winback-2026-12`, `payment-reminder-2026-12`, `journey-2026-12` when blank): the
 * 新建旅程 dialog asks for the id once, prefilled with this, so the marketer decides it there.
 * It used to be `journey-20261206`, which the publish dialog then replaced with one built from
 * the auto-named segment file (`audience-20261206-1538-email-sms`) — changing the id after the
 * simulation had drawn its A/B groups from the old one (walk: id-change-resplit.ts).
 */
export const FLOW_ID = /^[a-z0-9][a-z0-9-]*$/;

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

/**
 * What a journey made from a template does, in a word or two for its id: the gallery's ids say
 * the template (`sleeping-reactivation`), the marketer says 唤醒 — `winback`.
 */
const TEMPLATE_WORDS: Record<string, string> = {
  'payment-reminder': 'payment-reminder',
  'post-purchase-care': 'post-purchase-care',
  'sleeping-reactivation': 'winback',
  'new-product-launch': 'product-launch',
  'double11-campaign': 'double11',
};

/** The month a journey is made in, `2026-12`: readable in git and in the address, unlike a timestamp. */
const monthOf = (now: number) => new Date(now).toISOString().slice(0, 7);

export function idFromName(name: string, taken: ReadonlySet<string>, now = Date.now(), template?: string | null): string {
  const kind = template ? (TEMPLATE_WORDS[template] ?? slug(template)) : 'journey';
  return unique(wordsOf(name) || `${kind}-${monthOf(now)}`, taken);
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
