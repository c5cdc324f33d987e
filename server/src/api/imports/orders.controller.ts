import { BadRequestException, Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Clock } from '../../core/clock.js';
import { OrderBodyShape } from '../../core/data/model.js';
import { validateInput } from '../../core/data/import/row-mapper.js';
import type { Workspace } from '../../config/workspace.js';
import { upsertOrders } from '../../persistence/shop-repository.js';
import { EventsService } from '../events/events.service.js';
import { writeTransaction } from '../../persistence/write-transaction.js';
import { CLOCK, WORKSPACE } from '../tokens.js';
import { Allow } from '../auth/allow.decorator.js';

/**
 * `POST /api/orders`: one order (the zod input shape), upserted by external id, facts refreshed.
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
  async upsert(@Body({ schema: OrderBodyShape }) body: unknown) {
    const v = validateInput('orders', body, this.workspace.shop.timezone);
    if (!v.ok) throw new BadRequestException(v.issues.map((i) => `${i.field}: ${i.message}`));
    const order = v.value;
    const r = await writeTransaction(this.ds, (m) => upsertOrders(m, [order], { now: this.clock.now(), timezone: this.workspace.shop.timezone }));
    const outcome = r.outcomes[0];
    if (typeof outcome === 'object') throw new BadRequestException(`${outcome.field}: ${outcome.message}`);
    await this.events.notify(r.events);
    return { outcome, externalId: order.externalId, events: r.events.map((e) => e.type) };
  }
}
