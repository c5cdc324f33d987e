/**
 * Every action the audit log records. AuditLog.record takes only these, so a new kind of entry
 * is added here first — and the designer's test (audit-words) then fails until the audit log
 * has words for it: no entry ever shows an admin a bare code.
 */
export const AUDIT_ACTIONS = [
  // accounts and tokens
  'sign-in',
  'sign-in-failed',
  'sign-in-disabled',
  'sign-in-throttled',
  'password-changed',
  'password-change-failed',
  'password-change-throttled',
  'password-reset',
  'user-added',
  'user-removed',
  'user-role-changed',
  'user-disabled',
  'user-enabled',
  'user-contacts-changed',
  'token-created',
  'token-revoked',
  // journeys
  'flow-created',
  'flow-saved',
  'flow-published',
  'flow-paused',
  'flow-resumed',
  'flow-stopped',
  'flow-publish-requested',
  'flow-publish-approved',
  'flow-publish-rejected',
  'flow-publish-withdrawn',
  'draft-saved',
  'draft-imported',
  'draft-discarded',
  'draft-renamed',
  // rules the shop keeps
  'policy-changed',
  'block-list-changed',
  'segment-created',
  'segment-changed',
  // customers and their data
  'customer-deleted',
  'customer-restored',
  'customer-erased',
  'imported',
  'exported',
  // a page of customers shown with their contacts unmasked (GET /api/customers, /api/recycle-bin)
  'contacts-listed',
  'contact-viewed',
  'events-pruned',
  'message-test-sent',
  // a database marked as a simulation's copy made live again (rekindle simulate unmark)
  'simulation-copy-unmarked',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];
