import type { CustomerEventListener, StoredCustomerEvent } from '../../core/data/event-listener.js';
import { CUSTOMER_EVENT_LISTENERS } from '../events/event-listeners.token.js';
import { liveOnly } from '../simulation-copy/live-only.js';
import { EventIntakeRunner } from './event-intake.runner.js';

/**
 * Newly recorded events (REST, imports, orders, clicks) nudge the event intake. The events are
 * already in the durable inbox (same transaction as the events): the nudge only wakes the
 * consumer early; if this process dies first, the next one consumes them.
 */
export class EngineEventListener implements CustomerEventListener {
  constructor(
    private readonly intake: EventIntakeRunner,
    listeners: CustomerEventListener[],
  ) {
    listeners.push(this);
  }

  async onEvents(_events: StoredCustomerEvent[]): Promise<void> {
    this.intake.nudge();
  }
}

/**
 * Not built on a simulation's copy: an event stored there stays in the inbox, unread by any
 * journey (api/simulation-copy/live-only.ts).
 */
export const engineEventListenerProvider = liveOnly(
  EngineEventListener,
  [EventIntakeRunner, CUSTOMER_EVENT_LISTENERS],
  (intake: EventIntakeRunner, listeners: CustomerEventListener[]) => new EngineEventListener(intake, listeners),
);
