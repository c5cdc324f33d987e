import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Clock } from '../../core/clock.js';
import { notifyListeners, type CustomerEventListener, type StoredCustomerEvent } from '../../core/data/event-listener.js';
import type { EventInput } from '../../core/data/model.js';
import { validateInput } from '../../core/data/import/row-mapper.js';
import { customerIdsByExternalId, recordEvents, type NewCustomerEvent } from '../../persistence/shop-repository.js';
import { writeTransaction } from '../../persistence/write-transaction.js';
import { CLOCK } from '../tokens.js';
import { CUSTOMER_EVENT_LISTENERS } from './event-listeners.token.js';

export const MAX_EVENTS_PER_REQUEST = 10_000;

export interface EventRejection {
  index: number;
  field: string;
  message: string;
}

export interface EventIngestResult {
  accepted: number;
  duplicates: number;
  rejected: EventRejection[];
}

/** Records customer events (deduplicated by idempotency key) and tells the listeners. */
@Injectable()
export class EventsService {
  private readonly logger = new Logger('Events');

  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CUSTOMER_EVENT_LISTENERS) private readonly listeners: CustomerEventListener[],
  ) {}

  /** Each item is validated on its own: good events are stored even if others in the batch are rejected. */
  async ingest(items: readonly unknown[]): Promise<EventIngestResult> {
    const rejected: EventRejection[] = [];
    const valid: { index: number; input: EventInput }[] = [];
    items.forEach((item, index) => {
      const r = validateInput('events', item);
      if (r.ok) valid.push({ index, input: r.value });
      else rejected.push(...r.issues.map((i) => ({ index, ...i })));
    });
    const inserted = await writeTransaction(this.ds, async (m) => {
      const ids = await customerIdsByExternalId(m, valid.map((v) => v.input.customerExternalId));
      const known: NewCustomerEvent[] = [];
      for (const { index, input } of valid) {
        const customerId = ids.get(input.customerExternalId);
        if (customerId === undefined) rejected.push({ index, field: 'customerExternalId', message: `unknown customer "${input.customerExternalId}"` });
        else known.push({ customerId, type: input.type, properties: input.properties, occurredAt: input.occurredAt, idempotencyKey: input.idempotencyKey });
      }
      return { known: known.length, ...(await recordEvents(m, known, this.clock.now())) };
    });
    await this.notify(inserted.inserted);
    rejected.sort((a, b) => a.index - b.index);
    return { accepted: inserted.inserted.length, duplicates: inserted.known - inserted.inserted.length, rejected };
  }

  /** Called after the events' transaction committed; listener failures are logged, not thrown. */
  async notify(events: StoredCustomerEvent[]): Promise<void> {
    for (const e of await notifyListeners(this.listeners, events)) this.logger.error(`a customer event listener failed: ${e.message}`);
  }

  get registeredListeners(): readonly CustomerEventListener[] {
    return this.listeners;
  }
}
