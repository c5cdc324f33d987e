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
import { DocumentedBody } from '../openapi/documented-body.js';
import { issuesBesideUnknownOrderFields, unknownOrderFieldMessage, unknownOrderFields } from '../../core/data/order-fields.js';
import { futureOrderTimeIssue } from '../../core/data/event-time-window.js';

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
  // The body is validated here, not by the global pipe: the pipe's zod drops unknown keys silently.
  @DocumentedBody(OrderBodyShape, "One order. Times without an offset are the shop's wall clock; a field no order has is refused (400 naming it), as are times more than 1 day ahead of the server clock.")
  async upsert(@Body() body: unknown) {
    const unknown = unknownOrderFields(body);
    const v = validateInput('orders', body, this.workspace.shop.timezone);
    const problems = [...unknown.map(unknownOrderFieldMessage), ...(v.ok ? [] : issuesBesideUnknownOrderFields(unknown, v.issues).map((i) => `${i.field}: ${i.message}`))];
    if (v.ok) {
      const now = this.clock.now();
      for (const [field, at] of [['createdAt', v.value.createdAt], ['paidAt', v.value.paidAt]] as const) {
        const issue = at == null ? null : futureOrderTimeIssue(at, now);
        if (issue) problems.push(`${field}: ${issue}`);
      }
    }
    if (problems.length > 0 || !v.ok) throw new BadRequestException(problems);
    const order = v.value;
    const r = await writeTransaction(this.ds, (m) => upsertOrders(m, [order], { now: this.clock.now(), timezone: this.workspace.shop.timezone }));
    const outcome = r.outcomes[0];
    if (typeof outcome === 'object') throw new BadRequestException(`${outcome.field}: ${outcome.message}`);
    await this.events.notify(r.events);
    return { outcome, externalId: order.externalId, events: r.events.map((e) => e.type) };
  }
}
