import { Body, Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { EventsService, type EventIngestResult } from './events.service.js';
import type { Principal } from '../../core/access/roles.js';
import { Allow } from '../auth/allow.decorator.js';
import { DocumentedBody, DocumentedResponse } from '../openapi/documented-body.js';
import { EventConflicts, EventRejected, EventsBody, EventsResult } from './events-schema.js';
import { answerEvents, clientIdOf } from './event-request.js';

/**
 * `POST /api/events`: one event object or an array of up to 10,000. A batch answers 200 with the
 * per-index rejections; a single malformed event is a 400 naming the field. A field no event has
 * (a typo, `propertes`) refuses the whole request with a 400 naming it: nothing is stored. A key reused for a
 * different event answers 409 naming it; a single event sent again unchanged answers the
 * original result (header `Idempotent-Replayed: true`).
 *
 * API-token requests of the plain shape are answered before the general middleware stack by
 * events-fast-path.ts, with the same rule (read from this controller's @Allow) and answer.
 */
@Controller('events')
@Allow('admin', 'events:write')
export class EventsController {
  constructor(@Inject(EventsService) private readonly events: EventsService) {}

  @Post()
  @HttpCode(200)
  @DocumentedBody(EventsBody, `One event, or an array of up to 10,000. Times without an offset are the shop's wall clock; idempotencyKey makes a resend safe.`)
  @DocumentedResponse(200, 'Stored: a batch answers here with its malformed events in `rejected` (the others were stored)', EventsResult)
  @DocumentedResponse(400, 'A single malformed event (message and `rejected` name the field), a body that is neither an event nor an array, or a field no event has (`events[3].propertes: unknown field; did you mean properties?`, `unknownFields`; nothing of the request was stored)', EventRejected)
  @DocumentedResponse(409, 'An idempotencyKey already used for a different event: `conflicts` names it; nothing of the request was stored', EventConflicts)
  async post(@Body() body: unknown, @Req() req: { principal?: Principal }, @Res({ passthrough: true }) res: { setHeader(k: string, v: string): void }): Promise<EventIngestResult> {
    const { result, replayed } = await answerEvents(this.events, body, clientIdOf(req));
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    return result;
  }
}
