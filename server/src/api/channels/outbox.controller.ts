import { Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { outboxCounts } from '../../persistence/outbox-store.js';
import { OutboxService } from './outbox.service.js';

/** `POST /api/outbox/dispatch` delivers what is due now (ops, tests); `GET /api/outbox` counts by status. */
@Controller('outbox')
export class OutboxController {
  constructor(
    @Inject(OutboxService) private readonly outbox: OutboxService,
    @Inject(DataSource) private readonly ds: DataSource,
  ) {}

  @Post('dispatch')
  @HttpCode(200)
  dispatch() {
    return this.outbox.dispatchNow();
  }

  @Get()
  counts() {
    return outboxCounts(this.ds);
  }
}
