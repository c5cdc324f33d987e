import { ForbiddenException, SetMetadata } from '@nestjs/common';

/**
 * A person signed in with a password Rekindle generated and printed (the first start's admin,
 * `rekindle users add` / `users passwd`, POST /api/users without a password) may only replace it:
 * every other route answers 403 `password-change-required` until they have. Such a password sits
 * in a terminal's scroll-back, a ticket or a chat message; it used to sign in for good, and
 * nothing asked anyone to change it. API tokens are not passwords and are not affected.
 */
export const ONE_TIME_PASSWORD_OK = 'rekindle:one-time-password-ok';

/** A route a one-time password may call: replacing it, signing out (sign-in and `me` are public). */
export const AllowWithOneTimePassword = () => SetMetadata(ONE_TIME_PASSWORD_OK, true);

export const passwordChangeRequired = (name: string) =>
  new ForbiddenException({
    code: 'password-change-required',
    message: `${name} signed in with a one-time password: set your own first (POST /api/auth/password; the designer asks for it), then sign in again`,
  });
