import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Principal } from '../../core/access/roles.js';

/** The account or token the AuthGuard admitted (null on a public route without credentials). */
export const Caller = createParamDecorator((_data: unknown, ctx: ExecutionContext): Principal | null => {
  return (ctx.switchToHttp().getRequest<{ principal?: Principal }>().principal ?? null) as Principal | null;
});

export function actorName(p: Principal | null | undefined): string {
  return p?.name ?? 'anonymous';
}
