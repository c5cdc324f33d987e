import { HttpException, HttpStatus, Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Settings } from '../../config/settings.js';
import { AttemptLimiter } from '../../core/access/attempt-limiter.js';
import type { AuditLog } from '../../persistence/audit-log.js';
import { SETTINGS } from '../tokens.js';
import { AUDIT } from './auth.tokens.js';

export const SIGN_IN_WINDOW_MS = 60_000;

/**
 * Brute-force defence on `POST /api/auth/sign-in` (and, per account, on the current-password
 * check of `POST /api/auth/password`): REKINDLE_SIGNIN_ATTEMPTS a minute per
 * account name (a successful sign-in clears that count) and REKINDLE_SIGNIN_ATTEMPTS_PER_ADDRESS
 * per client address. Guessing one
 * account's password, or spraying many accounts from one address, gets 429 with Retry-After and
 * a message saying when to retry; other accounts and addresses sign in as usual. Counts live in
 * this process's memory (the server signs people in; a restart forgets them).
 *
 * Why not @nestjs/throttler: its 6.x build is CommonJS requiring the ESM-only @nestjs/common 12,
 * which Jest on Node 20 cannot load — every HTTP test would fail to build the app.
 */
@Injectable()
export class SignInLimits {
  private readonly byAccount: AttemptLimiter;
  private readonly byAddress: AttemptLimiter;
  /** Refusals already audited, by key, until the block ends: one audit row per block, not per request. */
  private readonly audited = new Map<string, number>();

  constructor(@Inject(SETTINGS) settings: Settings, @Inject(AUDIT) private readonly audit: AuditLog) {
    this.byAccount = new AttemptLimiter(settings.REKINDLE_SIGNIN_ATTEMPTS, SIGN_IN_WINDOW_MS);
    this.byAddress = new AttemptLimiter(settings.REKINDLE_SIGNIN_ATTEMPTS_PER_ADDRESS, SIGN_IN_WINDOW_MS);
  }

  /** Lets the attempt through (and counts it) or throws 429 with Retry-After set on `res`. */
  async admit(req: Request, res: Response): Promise<void> {
    const name = usernameOf(req);
    const address = String(req.ip ?? '');
    const account = `account:${name}`;
    const from = `address:${address}`;
    const waitAccount = this.byAccount.retryAfterSeconds(account);
    const waitAddress = this.byAddress.retryAfterSeconds(from);
    if (waitAccount === 0 && waitAddress === 0) {
      this.byAccount.record(account);
      this.byAddress.record(from);
      return;
    }
    const by = waitAccount >= waitAddress ? 'account' : 'address';
    const wait = Math.max(waitAccount, waitAddress);
    const limit = by === 'account' ? this.byAccount.limit : this.byAddress.limit;
    await this.auditOnce(by === 'account' ? account : from, wait, { actor: 'anonymous', action: 'sign-in-throttled', name, address, by, limit });
    throw tooMany(res, wait, `too many sign-in attempts ${by === 'account' ? 'for this account' : 'from this address'} (at most ${limit} a minute)`);
  }

  /**
   * A signed-in person's current-password check (`POST /api/auth/password`): counted against the
   * same per-account limit as sign-in — a stolen session could otherwise guess the password
   * without limit — so guesses through either route add up to one lock. Lets the check through
   * (and counts it) or throws 429 with Retry-After set on `res`; `succeeded` clears the count.
   */
  async admitPasswordCheck(username: string, req: Request, res: Response): Promise<void> {
    const name = username.trim().toLowerCase();
    const account = `account:${name}`;
    const wait = this.byAccount.retryAfterSeconds(account);
    if (wait === 0) {
      this.byAccount.record(account);
      return;
    }
    const limit = this.byAccount.limit;
    await this.auditOnce(`password:${account}`, wait, { actor: username, action: 'password-change-throttled', name: username, address: String(req.ip ?? ''), by: 'account', limit });
    throw tooMany(res, wait, `too many password attempts for this account (at most ${limit} a minute)`);
  }

  /** A correct password clears the account's count: only failed guesses add up to a lock. */
  succeeded(username: string): void {
    this.byAccount.forget(`account:${username.trim().toLowerCase()}`);
  }

  private async auditOnce(key: string, wait: number, e: { actor: string; action: 'sign-in-throttled' | 'password-change-throttled'; name: string; address: string; by: string; limit: number }): Promise<void> {
    const now = Date.now();
    if ((this.audited.get(key) ?? 0) > now) return;
    for (const [k, until] of this.audited) if (until <= now) this.audited.delete(k);
    this.audited.set(key, now + wait * 1000);
    await this.audit.record({ actor: e.actor, action: e.action, target: `user:${e.name}`, detail: { ip: e.address, by: e.by, limit: e.limit, retryAfterSeconds: wait } });
  }
}

/** The 429 answer: Retry-After on `res`, and a message saying when to retry. */
function tooMany(res: Response, wait: number, what: string): HttpException {
  res.setHeader('Retry-After', String(wait));
  const after = new Date(Date.now() + wait * 1000).toISOString().slice(11, 19);
  return new HttpException(
    { statusCode: 429, error: 'Too Many Requests', message: `${what}; try again in ${wait} s (after ${after} UTC)`, retryAfterSeconds: wait },
    HttpStatus.TOO_MANY_REQUESTS,
  );
}

/** The guard on the sign-in route (not global: every other route is unaffected). */
@Injectable()
export class SignInThrottleGuard implements CanActivate {
  constructor(private readonly limits: SignInLimits) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    await this.limits.admit(context.switchToHttp().getRequest<Request>(), context.switchToHttp().getResponse<Response>());
    return true;
  }
}

/** The account name as the sign-in body gives it (the body is parsed before guards run). */
function usernameOf(req: Request): string {
  const name = (req.body as { username?: unknown } | undefined)?.username;
  return typeof name === 'string' ? name.trim().toLowerCase().slice(0, 64) : '';
}
