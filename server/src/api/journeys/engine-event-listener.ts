import { Inject, Injectable } from '@nestjs/common';
import type { CustomerEventListener, StoredCustomerEvent } from '../../core/data/event-listener.js';
import { CUSTOMER_EVENT_LISTENERS } from '../events/event-listeners.token.js';
import { EventIntakeRunner } from './event-intake.runner.js';

/**
 * Newly recorded events (REST, imports, orders, clicks) nudge the event intake. The events are
 * already in the durable inbox (same transaction as the events): the nudge only wakes the
 * consumer early; if this process dies first, the next one consumes them.
 */
@Injectable()
export class EngineEventListener implements CustomerEventListener {
  constructor(
    @Inject(EventIntakeRunner) private readonly intake: EventIntakeRunner,
    @Inject(CUSTOMER_EVENT_LISTENERS) listeners: CustomerEventListener[],
  ) {
    listeners.push(this);
  }

  async onEvents(_events: StoredCustomerEvent[]): Promise<void> {
    this.intake.nudge();
  }
}
