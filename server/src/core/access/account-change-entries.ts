import type { AuditAction } from './audit-actions.js';
import type { Role } from './roles.js';

/** An account as a change sees it, before and after (persistence/accounts.ts UserRow). */
interface AccountState {
  username: string;
  role: Role;
  disabled: boolean;
  contactsGranted: boolean;
}

export interface AccountChangeEntry {
  action: AuditAction;
  target: string;
  detail: Record<string, unknown>;
}

/**
 * The audit entries one account change writes — one per thing that changed, so `rekindle audit
 * --action user-disabled` finds every disabling — the same from the API and the CLI. The tokens
 * the change revoked go with the entry that revoked them (disabling, or lowering the role).
 * Nothing changed: no entry.
 */
export function accountChangeEntries(before: AccountState, after: AccountState, revokedTokens: string[]): AccountChangeEntry[] {
  const target = `user:${after.username}`;
  const entries: AccountChangeEntry[] = [];
  const disabling = !before.disabled && after.disabled;
  if (before.role !== after.role)
    entries.push({ action: 'user-role-changed', target, detail: { previousRole: before.role, role: after.role, ...(disabling ? {} : { revokedTokens }) } });
  if (before.contactsGranted !== after.contactsGranted) entries.push({ action: 'user-contacts-changed', target, detail: { contactsGranted: after.contactsGranted } });
  if (disabling) entries.push({ action: 'user-disabled', target, detail: { revokedTokens } });
  if (before.disabled && !after.disabled) entries.push({ action: 'user-enabled', target, detail: {} });
  return entries;
}
