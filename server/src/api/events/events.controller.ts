import { BadRequestException, Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { EventsService, MAX_EVENTS_PER_REQUEST, type EventIngestResult } from './events.service.js';
import { Allow } from '../auth/allow.decorator.js';

/**
 * `POST /api/events`: one event object or an array of up to 10,000. A batch answers 200 with the
 * per-index rejections; a single malformed event is a 400 naming the field.
 */
@Controller('events')
@Allow('admin', 'events:write')
export class EventsController {
  constructor(@Inject(EventsService) private readonly events: EventsService) {}

  @Post()
  @HttpCode(200)
  async post(@Body() body: unknown): Promise<EventIngestResult> {
    if (body === null || typeof body !== 'object') throw new BadRequestException('body: expected one event object or an array of events (application/json)');
    if (!Array.isArray(body)) {
      const r = await this.events.ingest([body]);
      if (r.rejected.length) {
        throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: r.rejected.map((x) => `${x.field}: ${x.message}`), ...r });
      }
      return r;
    }
    if (body.length > MAX_EVENTS_PER_REQUEST) throw new BadRequestException(`body: at most ${MAX_EVENTS_PER_REQUEST} events per request, got ${body.length}`);
    return this.events.ingest(body);
  }
}
