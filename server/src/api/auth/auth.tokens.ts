/** Injection tokens of the auth layer. */
export const ACCOUNTS = Symbol('AccountStore');
export const AUDIT = Symbol('AuditLog');
export const CSRF = Symbol('Csrf');
export const SESSION_COOKIE = 'rekindle_session';
export const CSRF_COOKIE = 'rekindle_csrf';
export const CSRF_HEADER = 'x-csrf-token';
