import { ConflictException, Inject, Injectable, UseGuards, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { SimulationCopyHold } from '../../runtime/simulation-copy-hold.js';
import { SIMULATION_COPY } from '../tokens.js';

/** The designer says it in words (model/error-words.ts); the message stays for API users. */
export const SIMULATION_COPY_CODE = 'simulation-copy';

/**
 * "POST /api/engine/tick does not run: this database is a simulation's copy (payment-reminder,
 * 2026-11-11 – 2026-11-12): nothing is sent and no journey moves".
 */
export function nothingRunsMessage(route: string, copy: SimulationCopyHold): string {
  return `${route} does not run: ${copy.line}`;
}

/**
 * Refuses a route that would send or move journeys by hand (a tick, an outbox dispatch, a test
 * send) on a simulation's copy, with a 409 naming the copy. Nothing drives the engine or the outbox
 * there (live-only.ts): answering 200 for a tick or dispatch that did nothing told an admin it had
 * run, and a test send went out through the shop's real providers. After the AuthGuard (a global
 * guard runs first), so an anonymous caller still gets 401 and a lower role 403.
 */
@Injectable()
export class NothingRunsOnACopyGuard implements CanActivate {
  constructor(@Inject(SIMULATION_COPY) private readonly copy: SimulationCopyHold | null) {}

  canActivate(ctx: ExecutionContext): boolean {
    if (!this.copy) return true;
    const req = ctx.switchToHttp().getRequest<Request>();
    const route = `${req.method} ${(req.route as { path?: string } | undefined)?.path ?? req.path}`;
    throw new ConflictException({ code: SIMULATION_COPY_CODE, message: nothingRunsMessage(route, this.copy) });
  }
}

/** On a route that sends or moves journeys by hand: 409 on a simulation's copy (NothingRunsOnACopyGuard). */
export const RefusedOnASimulationCopy = () => UseGuards(NothingRunsOnACopyGuard);
