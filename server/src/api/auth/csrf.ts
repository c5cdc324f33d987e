import { doubleCsrf } from 'csrf-csrf';
import type { Request, Response } from 'express';
import { CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE } from './auth.tokens.js';

/**
 * CSRF defence for cookie sessions: csrf-csrf's signed double submit. The token is an HMAC (under
 * the server secret) of the session id and a random value; it is set as a cookie and must come
 * back in the `x-csrf-token` header on every state-changing request. A page on another site can
 * neither read the cookie nor set the header, and the session cookie is SameSite=Strict anyway.
 * Bearer-token requests carry no ambient credentials and need none of this.
 */
export interface Csrf {
  issue(req: Request, res: Response): string;
  valid(req: Request): boolean;
}

export function createCsrf(secret: string): Csrf {
  const { generateCsrfToken, validateRequest } = doubleCsrf({
    getSecret: () => secret,
    getSessionIdentifier: (req) => String(req.cookies?.[SESSION_COOKIE] ?? ''),
    cookieName: CSRF_COOKIE,
    // The designer reads the token from the sign-in answer (or GET /api/auth/me), not the cookie.
    cookieOptions: { sameSite: 'strict', path: '/', httpOnly: true, secure: false },
    getCsrfTokenFromRequest: (req) => req.headers[CSRF_HEADER] as string | undefined,
  });
  return {
    // A token still valid for this session is handed out again rather than replaced: a second tab
    // (or a reload) asking GET /api/auth/me must not invalidate the token an open tab holds. A new
    // session (sign-in) fails that check, since the token is bound to the session id, and gets a new one.
    issue: (req, res) => generateCsrfToken(req, res, { overwrite: false, cookieOptions: { sameSite: 'strict', path: '/', httpOnly: true, secure: req.secure } }),
    valid: (req) => {
      try {
        return validateRequest(req);
      } catch {
        return false;
      }
    },
  };
}
