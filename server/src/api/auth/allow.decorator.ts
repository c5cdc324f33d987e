import { SetMetadata } from '@nestjs/common';
import type { Grant } from '../../core/access/roles.js';

/**
 * Every route says who may call it, on the controller or the handler (the handler's rule wins).
 * The global AuthGuard denies a route without a rule, and the role matrix test
 * (tests/security/role-matrix.test.ts) fails for one.
 *
 *   @Allow('analyst')                  any signed-in account (roles are ordered: analyst < marketer < admin)
 *   @Allow('marketer', 'events:write') marketers and admins, or a token holding events:write
 *   @Public()                          no credentials: sign-in, tracked links, health
 */
export const ACCESS_RULE = 'rekindle:access';

export type AccessRule = { public: true } | { public: false; grants: Grant[] };

export const Allow = (...grants: [Grant, ...Grant[]]) => SetMetadata(ACCESS_RULE, { public: false, grants } satisfies AccessRule);
export const Public = () => SetMetadata(ACCESS_RULE, { public: true } satisfies AccessRule);
