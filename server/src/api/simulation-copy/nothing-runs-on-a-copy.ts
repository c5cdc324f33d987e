import { applyDecorators, ConflictException, Inject, Injectable, SetMetadata, UseGuards, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { CopyRefusal, SimulationCopyHold } from '../../runtime/simulation-copy-hold.js';
import { SIMULATION_COPY } from '../tokens.js';

/** The designer says it in words (model/error-words.ts); the message stays for API users. */
export const SIMULATION_COPY_CODE = 'simulation-copy';

/** What a route refused on a copy would have done, in the 409's `refused` (the designer's words differ). */
export type { CopyRefusal };

const REFUSAL = 'rekindle:simulation-copy-refusal';

/**
 * "POST /api/engine/tick does not run: this database is a simulation's copy (payment-reminder,
 * 2026-11-11 – 2026-11-12): nothing is sent and no journey moves".
 */
export function nothingRunsMessage(route: string, copy: SimulationCopyHold): string {
  return `${route} does not run: ${copy.line}`;
}

/**
 * "POST /api/flows/winback/publish is refused: this database is a simulation's copy (…): nothing is
 * sent and no journey moves; …". A journey published or paused here takes effect nowhere — and a
 * marketer may take the copy's designer for the live shop's.
 */
export function notLiveMessage(route: string, copy: SimulationCopyHold): string {
  return `${route} is refused: ${copy.line}; a journey published, paused, resumed or stopped here would run nowhere: do it on the live shop's server`;
}

/**
 * "PUT /api/policy is refused: this database is a simulation's copy (…): nothing is sent and no
 * journey moves; …". The opposite of running nowhere: the copy is of the database only, and the
 * rules folder its server writes is the shop's own (CopyRefusal's `shop-files`).
 */
export function shopFilesMessage(route: string, copy: SimulationCopyHold): string {
  return `${route} is refused: ${copy.line}; the copy is of the database only, and the rules folder is the shop's own: saved here, this change would not stay in the copy but change the file the live shop runs on: make it on the live shop's server`;
}

/**
 * Refuses a route on a simulation's copy with a 409 naming the copy: one that would send or move
 * journeys by hand (a tick, an outbox dispatch, a test send), or one that changes what runs (a
 * publish, a pause…). Nothing drives the engine or the outbox there (live-only.ts): answering 200
 * for a tick or dispatch that did nothing told an admin it had run, a test send went out through
 * the shop's real providers, and a publish "succeeded" on a database where nothing runs, read as
 * the live shop's. After the AuthGuard (a global guard runs first), so an anonymous caller still
 * gets 401 and a lower role 403.
 */
@Injectable()
export class NothingRunsOnACopyGuard implements CanActivate {
  constructor(
    @Inject(SIMULATION_COPY) private readonly copy: SimulationCopyHold | null,
    @Inject(Reflector) private readonly reflector: Reflector,
  ) {}

  canActivate(ctx: ExecutionContext): boolean {
    if (!this.copy) return true;
    const req = ctx.switchToHttp().getRequest<Request>();
    const refused = this.reflector.get<CopyRefusal | undefined>(REFUSAL, ctx.getHandler()) ?? 'runs';
    const refusedMessage = refused === 'goes-live' ? notLiveMessage : refused === 'shop-files' ? shopFilesMessage : null;
    if (refusedMessage) throw new ConflictException({ code: SIMULATION_COPY_CODE, refused, message: refusedMessage(`${req.method} ${req.path}`, this.copy) });
    const route = `${req.method} ${(req.route as { path?: string } | undefined)?.path ?? req.path}`;
    throw new ConflictException({ code: SIMULATION_COPY_CODE, refused, message: nothingRunsMessage(route, this.copy) });
  }
}

/**
 * On a route that sends or moves journeys by hand (`runs`, the default), changes what runs
 * (`goes-live`) or writes one of the shop's own rule files (`shop-files`): 409 on a simulation's
 * copy (NothingRunsOnACopyGuard). Editing — drafts, the flow
 * files — stays open there: trying a change on the copy is what it is for.
 */
export const RefusedOnASimulationCopy = (refused: CopyRefusal = 'runs') => applyDecorators(SetMetadata(REFUSAL, refused), UseGuards(NothingRunsOnACopyGuard));
