import { BadRequestException, Body, ConflictException, Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { DEFAULT_CLIENT } from '../../persistence/event-log.js';
import { EventsService, MAX_EVENTS_PER_REQUEST, type EventConflict, type EventIngestResult, type IngestOutcome } from './events.service.js';
import type { Principal } from '../../core/access/roles.js';
import { Allow } from '../auth/allow.decorator.js';

/**
 * The namespace of the caller's idempotency keys: the API token's name (`token:<name>`, so a feed
 * keeps its namespace when its token is rotated under the same name), else the shop's single
 * default client (people signed in to the designer). Never '' (the system's own namespace).
 */
export function clientIdOf(req: { principal?: Principal }): string {
  return req.principal?.kind === 'token' ? req.principal.name.slice(0, 64) : DEFAULT_CLIENT;
}

function conflict(conflicts: EventConflict[]): ConflictException {
  const keys = conflicts.map((c) => `"${c.idempotencyKey}"`).join(', ');
  return new ConflictException({
    statusCode: 409,
    error: 'Conflict',
    message: `idempotencyKey ${keys} was already used for a different event (customer, type, occurredAt or properties differ); nothing of this request was stored. Send a new key for a new event.`,
    conflicts,
  });
}

/**
 * `POST /api/events`: one event object or an array of up to 10,000. A batch answers 200 with the
 * per-index rejections; a single malformed event is a 400 naming the field. A key reused for a
 * different event answers 409 naming it; a single event sent again unchanged answers the
 * original result (header `Idempotent-Replayed: true`).
 */
@Controller('events')
@Allow('admin', 'events:write')
export class EventsController {
  constructor(@Inject(EventsService) private readonly events: EventsService) {}

  @Post()
  @HttpCode(200)
  async post(@Body() body: unknown, @Req() req: { principal?: Principal }, @Res({ passthrough: true }) res: { setHeader(k: string, v: string): void }): Promise<EventIngestResult> {
    if (body === null || typeof body !== 'object') throw new BadRequestException('body: expected one event object or an array of events (application/json)');
    if (Array.isArray(body) && body.length > MAX_EVENTS_PER_REQUEST) throw new BadRequestException(`body: at most ${MAX_EVENTS_PER_REQUEST} events per request, got ${body.length}`);
    const single = !Array.isArray(body);
    const outcome: IngestOutcome = await this.events.ingest(single ? [body] : body, clientIdOf(req));
    if (!outcome.ok) throw conflict(outcome.conflicts);
    const r = outcome.result;
    if (single) {
      if (r.rejected.length) throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: r.rejected.map((x) => `${x.field}: ${x.message}`), ...r });
      if (outcome.replayed) {
        // The same event again: the answer the first delivery got.
        res.setHeader('Idempotent-Replayed', 'true');
        return { accepted: 1, duplicates: 0, rejected: [] };
      }
    }
    return r;
  }
}
