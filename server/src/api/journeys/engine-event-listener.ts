import { Inject, Injectable } from '@nestjs/common';
import type { CustomerEventListener, StoredCustomerEvent } from '../../core/data/event-listener.js';
import type { EngineRuntime } from '../../runtime/engine-runtime.js';
import { CUSTOMER_EVENT_LISTENERS } from '../events/event-listeners.token.js';
import { ENGINE_RUNTIME } from './engine-runtime.provider.js';

/** Newly recorded events (REST, imports, orders, clicks) start event journeys and wake waiting ones. */
@Injectable()
export class EngineEventListener implements CustomerEventListener {
  constructor(
    @Inject(ENGINE_RUNTIME) private readonly runtime: EngineRuntime,
    @Inject(CUSTOMER_EVENT_LISTENERS) listeners: CustomerEventListener[],
  ) {
    listeners.push(this);
  }

  async onEvents(events: StoredCustomerEvent[]): Promise<void> {
    await this.runtime.engine.onEvents(events.map((e) => ({ id: e.id, customerId: e.customerId, type: e.type, properties: e.properties, occurredAt: e.occurredAt, receivedAt: e.receivedAt })));
  }
}
