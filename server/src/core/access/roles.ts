/**
 * Who may do what. Accounts have one role; roles are ordered (an admin may do everything a
 * marketer may, a marketer everything an analyst may). API tokens carry scopes instead: a role
 * name (the token acts with that role) or a narrow permission such as `events:write` for an order
 * feed that may post events and nothing else. Routes state the grants that admit a caller.
 */
export const ROLES = ['analyst', 'marketer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Narrow permissions for integrations (tokens). */
export const SCOPES = {
  'events:write': 'post customer events and orders (an order feed)',
  'import:write': 'import customers, orders and events (CSV / NDJSON)',
  'contacts:read': 'see phone numbers and e-mail addresses unmasked (with a read role)',
  'metrics:read': 'scrape /metrics (a Prometheus job); nothing else',
} as const;
export type Scope = keyof typeof SCOPES;

/**
 * What a token's scopes may name, in words: the one list that `users token --help` and the
 * refusal of an unknown scope both print, so neither can leave a scope out.
 */
export function grantChoices(): string {
  return `a role (${ROLES.join(', ')}) or a scope (${Object.keys(SCOPES).join(', ')})`;
}

/** What a route may require: a minimum role, or a scope a token may hold. */
export type Grant = Role | Scope;

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  admin: 'everything: accounts and tokens, the contact policy and block lists, the audit log, exports',
  marketer: 'draw, save, simulate, publish, pause, resume and stop flows; read reports and customers',
  analyst: 'read reports, counts, customers and the send log (phone and e-mail masked unless granted; message text withheld)',
};

export function isRole(x: string): x is Role {
  return (ROLES as readonly string[]).includes(x);
}
export function isScope(x: string): x is Scope {
  return Object.hasOwn(SCOPES, x);
}
export function isGrant(x: string): x is Grant {
  return isRole(x) || isScope(x);
}

export function roleRank(r: Role): number {
  return ROLES.indexOf(r);
}

/** The signed-in account or token behind a request. */
export interface Principal {
  kind: 'user' | 'token';
  /** Shown in the audit log and as the author of published versions: the username, or `token:<name>`. */
  name: string;
  userId: number | null;
  tokenId: number | null;
  /** The strongest role this caller acts with (a token without a role scope has none). */
  role: Role | null;
  scopes: Scope[];
  /** Phone and e-mail unmasked: admins and marketers, or an analyst / token granted `contacts:read`. */
  contactsVisible: boolean;
  /** A person signed in with a password Rekindle generated and printed: they may only replace it (api/auth/one-time-password.ts). */
  oneTimePassword?: boolean;
  /**
   * A signed-in person's login session, as a tag that is not its secret (a hash of the stored
   * hash): tells this browser from another machine or browser of the same account (a draft's
   * 409: api/designer/draft-saver.ts). Absent for API tokens.
   */
  session?: string;
}

/**
 * Whether an account sees phone and e-mail unmasked: admins and marketers by their role, an analyst
 * only when granted contacts (users.contacts_visible, `users add --contacts`). The grant alone says
 * nothing for the other roles, so lists and audit entries report this, not the grant.
 */
export function contactsVisibleFor(role: Role, granted: boolean): boolean {
  return role !== 'analyst' || granted;
}

/** Whether the caller holds one of the grants. */
export function permits(p: Principal, grants: readonly Grant[]): boolean {
  if (p.role === 'admin') return true;
  return grants.some((g) => (isRole(g) ? p.role !== null && roleRank(p.role) >= roleRank(g) : p.scopes.includes(g)));
}

/** A token's scopes → the role it acts with (the strongest role scope) and its narrow scopes. */
export function splitScopes(scopes: readonly string[]): { role: Role | null; scopes: Scope[] } {
  let role: Role | null = null;
  for (const s of scopes) if (isRole(s) && (role === null || roleRank(s) > roleRank(role))) role = s;
  return { role, scopes: scopes.filter(isScope) };
}

/** `13912345678` → `139****5678`; `li.na@example.com` → `l***@example.com`. */
export function maskPhone(phone: string | null | undefined): string | null | undefined {
  if (!phone) return phone;
  if (phone.length <= 4) return '*'.repeat(phone.length);
  const keepEnd = 4;
  const keepStart = Math.min(3, phone.length - keepEnd);
  return phone.slice(0, keepStart) + '*'.repeat(phone.length - keepStart - keepEnd) + phone.slice(-keepEnd);
}
export function maskEmail(email: string | null | undefined): string | null | undefined {
  if (!email) return email;
  const at = email.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${email[0]}***${email.slice(at)}`;
}
