import { BadRequestException, Body, Controller, Get, HttpCode, Inject, Post, Req, Res, UnauthorizedException, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { Principal } from '../../core/access/roles.js';
import { AccountError, type AccountStore } from '../../persistence/accounts.js';
import type { AuditLog } from '../../persistence/audit-log.js';
import { Allow, Public } from './allow.decorator.js';
import { ACCOUNTS, AUDIT, CSRF, SESSION_COOKIE } from './auth.tokens.js';
import type { Csrf } from './csrf.js';
import { Caller } from './principal.decorator.js';
import { AllowWithOneTimePassword } from './one-time-password.js';
import { SignInLimits, SignInThrottleGuard } from './sign-in-throttle.js';

const SignInBody = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(1024) });
const PasswordBody = z.object({ current: z.string().min(1).max(1024), password: z.string().min(1).max(1024) });

/**
 * Sign-in for the designer: a cookie session (httpOnly, SameSite=Strict, random id stored only
 * hashed, 12 h sliding expiry) plus the CSRF token the designer sends back on every change.
 */
@Controller('auth')
export class AuthController {
  constructor(
    @Inject(ACCOUNTS) private readonly accounts: AccountStore,
    @Inject(AUDIT) private readonly audit: AuditLog,
    @Inject(CSRF) private readonly csrf: Csrf,
    private readonly throttle: SignInLimits,
  ) {}

  @Post('sign-in')
  @Public()
  @UseGuards(SignInThrottleGuard)
  @HttpCode(200)
  async signIn(@Body({ schema: SignInBody }) body: z.infer<typeof SignInBody>, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const user = await this.accounts.verify(body.username, body.password);
    if (!user) {
      await this.audit.record({ actor: 'anonymous', action: 'sign-in-failed', target: `user:${body.username}`, detail: { ip: req.ip } });
      throw new UnauthorizedException('wrong username or password');
    }
    if (user.disabled) {
      // The same answer as a wrong password: the caller learns neither that the account exists nor
      // that the password was right (which would be worth keeping until the account is enabled
      // again). The admins read which it was in the audit log. The attempt still counts against
      // the per-account limit, as a wrong password does.
      await this.audit.record({ actor: 'anonymous', action: 'sign-in-disabled', target: `user:${user.username}`, detail: { ip: req.ip } });
      throw new UnauthorizedException('wrong username or password');
    }
    this.throttle.succeeded(body.username);
    const session = await this.accounts.startSession(user.id);
    await this.accounts.signedIn(user.id);
    res.cookie(SESSION_COOKIE, session.id, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/', expires: new Date(session.expiresAt) });
    // The CSRF token is bound to the new session id.
    req.cookies = { ...(req.cookies ?? {}), [SESSION_COOKIE]: session.id };
    const csrfToken = this.csrf.issue(req, res);
    await this.audit.record({ actor: user.username, action: 'sign-in', target: `user:${user.username}`, detail: { ip: req.ip } });
    return { user: publicUser(user.username, user.role, user.contactsVisible, [], user.oneTimePassword), csrfToken };
  }

  @Post('sign-out')
  @Allow('analyst')
  @AllowWithOneTimePassword()
  @HttpCode(200)
  async signOut(@Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const sid = req.cookies?.[SESSION_COOKIE] as string | undefined;
    if (sid) await this.accounts.endSession(sid);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    return { signedOut: true };
  }

  /** Who is signed in (null when nobody), with a fresh CSRF token for the designer. */
  @Get('me')
  @Public()
  me(@Caller() caller: Principal | null, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    if (!caller) return { user: null };
    const csrfToken = caller.kind === 'user' && req.cookies?.[SESSION_COOKIE] ? this.csrf.issue(req, res) : null;
    return { user: publicUser(caller.name, caller.role, caller.contactsVisible, caller.scopes, !!caller.oneTimePassword), csrfToken };
  }

  @Post('password')
  @Allow('analyst')
  @AllowWithOneTimePassword()
  @HttpCode(200)
  async changePassword(@Caller() caller: Principal, @Body({ schema: PasswordBody }) body: z.infer<typeof PasswordBody>, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    if (caller.kind !== 'user') throw new BadRequestException('API tokens have no password');
    // The same per-account limit as sign-in: a session left open must not be a way to guess the password.
    await this.throttle.admitPasswordCheck(caller.name, req, res);
    if (!(await this.accounts.verify(caller.name, body.current))) {
      await this.audit.record({ actor: caller.name, action: 'password-change-failed', target: `user:${caller.name}`, detail: { ip: req.ip } });
      throw new BadRequestException('current: the current password is wrong');
    }
    this.throttle.succeeded(caller.name);
    try {
      await this.accounts.setPassword(caller.name, body.password);
    } catch (e) {
      if (e instanceof AccountError) throw new BadRequestException(e.message);
      throw e;
    }
    await this.audit.record({ actor: caller.name, action: 'password-changed', target: `user:${caller.name}` });
    return { changed: true, signedOut: true };
  }
}

/** `mustChangePassword`: signed in with a one-time password, which is all it may replace (one-time-password.ts). */
function publicUser(name: string, role: string | null, contactsVisible: boolean, scopes: string[] = [], mustChangePassword = false) {
  return { username: name, role, contactsVisible, scopes, ...(mustChangePassword ? { mustChangePassword: true } : {}) };
}
