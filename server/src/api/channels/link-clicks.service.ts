import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { clickIdempotencyKey, isRedirectable } from '../../core/channels/click.js';
import type { Clock } from '../../core/clock.js';
import { notifyListeners, type CustomerEventListener } from '../../core/data/event-listener.js';
import { LINK_CLICK } from '../../core/data/system-events.js';
import { forDialect, num } from '../../persistence/outbox-sql.js';
import { recordEvents } from '../../persistence/shop-repository.js';
import { writeTransaction } from '../../persistence/write-transaction.js';
import { CUSTOMER_EVENT_LISTENERS } from '../events/event-listeners.token.js';
import { CLOCK } from '../tokens.js';

/**
 * Follows a tracked link: finds the send by its link token, records a `click` customer event
 * (deduplicated per minute, see core/channels/click.ts) and tells the customer-event listeners
 * (the journey engine wakes enrollments waiting for a click), then returns the target URL.
 */
@Injectable()
export class LinkClicksService {
  private readonly log = new Logger('Links');

  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    // Optional: the events module (global) provides the list; without it clicks are still recorded.
    @Optional() @Inject(CUSTOMER_EVENT_LISTENERS) private readonly listeners: CustomerEventListener[] | null,
  ) {}

  /** The URL to redirect to, or null for an unknown token or a message that was never delivered. */
  async follow(token: string): Promise<string | null> {
    if (!/^[A-Za-z0-9_-]{1,32}$/.test(token)) return null;
    const [send] = (await this.ds.query(forDialect(this.ds, `SELECT id, customer_id, flow_id, node_id, link_url, status FROM sends WHERE link_token = ?`), [token])) as {
      id: number | string;
      customer_id: number | string;
      flow_id: string;
      node_id: string;
      link_url: string | null;
      status: string;
    }[];
    // A blocked or skipped message never reached anyone: its link cannot have been clicked.
    if (!send || send.status === 'blocked' || send.status === 'skipped' || !isRedirectable(send.link_url)) return null;
    const now = this.clock.now();
    const { inserted } = await writeTransaction(this.ds, async (m) => {
      // The first click is the message's (sends.clicked_at: the funnel's "clicked", the send log's clicked_at).
      await m.query(forDialect(this.ds, 'UPDATE sends SET clicked_at = ? WHERE id = ? AND clicked_at IS NULL'), [now, num(send.id)]);
      return recordEvents(
        m,
        [
          {
            customerId: num(send.customer_id),
            type: LINK_CLICK,
            properties: { sendId: num(send.id), flowId: send.flow_id, nodeId: send.node_id, url: send.link_url },
            occurredAt: now,
            idempotencyKey: clickIdempotencyKey(token, now),
          },
        ],
        now,
      );
    });
    // After the commit, like every other source of customer events (events.service.ts).
    for (const e of await notifyListeners(this.listeners ?? [], inserted)) this.log.error(`a customer event listener failed on a click: ${e.message}`);
    return send.link_url;
  }
}
