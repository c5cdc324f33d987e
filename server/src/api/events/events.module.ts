import { Global, Module } from '@nestjs/common';
import { CUSTOMER_EVENT_LISTENERS } from './event-listeners.token.js';
import { EventsController } from './events.controller.js';
import { EventsService } from './events.service.js';

/** Global so any module can add a listener to CUSTOMER_EVENT_LISTENERS or record events. */
@Global()
@Module({
  controllers: [EventsController],
  // A factory, not a literal: each app instance gets its own list.
  providers: [EventsService, { provide: CUSTOMER_EVENT_LISTENERS, useFactory: () => [] }],
  exports: [EventsService, CUSTOMER_EVENT_LISTENERS],
})
export class EventsModule {}
