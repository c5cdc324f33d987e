import { BadRequestException, Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Clock } from '../../core/clock.js';
import { OrderRequestShape, readOrderRequest } from '../../core/data/order-request.js';
import type { Workspace } from '../../config/workspace.js';
import { upsertCustomers, upsertOrders } from '../../persistence/shop-repository.js';
import { EventsService } from '../events/events.service.js';
import { writeTransaction } from '../../persistence/write-transaction.js';
import { CLOCK, WORKSPACE } from '../tokens.js';
import { Allow } from '../auth/allow.decorator.js';
import { DocumentedBody } from '../openapi/documented-body.js';

/**
 * `POST /api/orders`: one order (the zod input shape), upserted by external id, facts refreshed,
 * with its buyer in `customer` when the feed sends it (a new buyer needs no import first).
 * Times without an offset are the shop's wall clock, as in imports.
 */
@Controller('orders')
@Allow('admin', 'events:write')
export class OrdersController {
  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(WORKSPACE) private readonly workspace: Workspace,
    @Inject(EventsService) private readonly events: EventsService,
  ) {}

  @Post()
  @HttpCode(200)
  // The body is read here (core/data/order-request.ts), not by the global pipe: its zod drops unknown keys silently.
  @DocumentedBody(
    OrderRequestShape,
    "One order, and optionally its buyer in `customer` (created or updated with it). Times without an offset are the shop's wall clock; a field no order has is refused (400 naming it), as are times more than 1 day ahead of the server clock.",
  )
  async upsert(@Body() body: unknown) {
    const timezone = this.workspace.shop.timezone;
    const req = readOrderRequest(body, timezone, this.clock.now());
    if (!req.ok) throw new BadRequestException(req.problems);
    const { order, customer } = req;
    // Buyer and order in one transaction: an order refused in the database (an unknown customer)
    // rolls the buyer's upsert back with it, so a refused request has written nothing.
    const r = await writeTransaction(this.ds, async (m) => {
      const ctx = { now: this.clock.now(), timezone };
      if (customer) {
        // Refused only for a customer whose personal data was erased: the buyer is not written back unseen.
        const buyer = (await upsertCustomers(m, [customer], ctx)).outcomes[0];
        if (typeof buyer === 'object') throw new OrderRefused(`customer.${buyer.field}: ${buyer.message}`);
      }
      const written = await upsertOrders(m, [order], ctx);
      const outcome = written.outcomes[0];
      if (typeof outcome === 'object') throw new OrderRefused(`${outcome.field}: ${outcome.message}`, outcome.message.startsWith('unknown customer'));
      return written;
    }).catch((e: unknown) => {
      // The hint only where sending the buyer helps: an unknown customer (an erased one is refused either way).
      if (e instanceof OrderRefused) throw new BadRequestException(customer || !e.unknownCustomer ? e.message : `${e.message}; or send the buyer in "customer" with the order`);
      throw e;
    });
    await this.events.notify(r.events);
    return { outcome: r.outcomes[0], externalId: order.externalId, events: r.events.map((e) => e.type) };
  }
}

/** An order the database phase refused (its message names the field): ends the transaction unwritten. */
class OrderRefused extends Error {
  constructor(
    message: string,
    readonly unknownCustomer = false,
  ) {
    super(message);
  }
}
