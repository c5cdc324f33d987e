import { ForbiddenException, Inject, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { permits, type Grant, type Principal } from '../../core/access/roles.js';
import type { AccountStore } from '../../persistence/accounts.js';
import { ACCESS_RULE, type AccessRule } from './allow.decorator.js';
import { ACCOUNTS, CSRF, SESSION_COOKIE } from './auth.tokens.js';
import type { Csrf } from './csrf.js';
import { ONE_TIME_PASSWORD_OK, passwordChangeRequired } from './one-time-password.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The refusals, also answered by the events fast path (api/events/events-fast-path.ts). */
export const unknownToken = () => new UnauthorizedException('the API token is unknown, revoked or expired');
export const notPermitted = (principal: Principal, grants: readonly Grant[]) =>
  new ForbiddenException(`${principal.name} (${principal.role ?? principal.scopes.join(', ')}) may not do this: needs ${grants.join(' or ')}`);

/**
 * The global guard: denies by default. A route passes only when its rule (@Allow / @Public) admits
 * the caller. Callers are identified by `Authorization: Bearer <token>` (API tokens) or by the
 * session cookie; cookie requests that change state must also carry the CSRF token.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(ACCOUNTS) private readonly accounts: AccountStore,
    @Inject(CSRF) private readonly csrf: Csrf,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, [ctx.getHandler(), ctx.getClass()]);
    const req = ctx.switchToHttp().getRequest<Request & { principal?: Principal }>();
    if (!rule) throw new ForbiddenException('this route states no access rule, so nobody may call it');
    if (rule.public) {
      // Known callers are still recognised (e.g. sign-out, or /api/auth/me), never required.
      req.principal = (await this.identify(req, false)) ?? undefined;
      return true;
    }
    const principal = await this.identify(req, true);
    if (!principal) throw new UnauthorizedException('sign in first (session cookie) or send Authorization: Bearer <token>');
    if (!permits(principal, rule.grants)) throw notPermitted(principal, rule.grants);
    if (principal.oneTimePassword && !this.reflector.getAllAndOverride<boolean | undefined>(ONE_TIME_PASSWORD_OK, [ctx.getHandler(), ctx.getClass()])) throw passwordChangeRequired(principal.name);
    req.principal = principal;
    return true;
  }

  private async identify(req: Request, enforceCsrf: boolean): Promise<Principal | null> {
    const auth = req.headers.authorization;
    if (auth !== undefined) {
      const m = /^Bearer\s+(\S+)$/i.exec(auth);
      const p = m ? await this.accounts.tokenPrincipal(m[1]) : null;
      if (!p && enforceCsrf) throw unknownToken();
      return p;
    }
    const sid = req.cookies?.[SESSION_COOKIE] as string | undefined;
    if (!sid) return null;
    const p = await this.accounts.sessionPrincipal(sid);
    if (!p) {
      if (enforceCsrf) throw new UnauthorizedException('the session has expired; sign in again');
      return null;
    }
    if (enforceCsrf && !SAFE_METHODS.has(req.method) && !this.csrf.valid(req)) {
      throw new ForbiddenException('missing or invalid CSRF token: send the x-csrf-token header given at sign-in');
    }
    return p;
  }
}
