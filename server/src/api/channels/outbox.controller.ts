import { Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { outboxCounts } from '../../persistence/outbox-store.js';
import { OutboxService } from './outbox.service.js';
import { Allow } from '../auth/allow.decorator.js';
import { DocumentedResponse } from '../openapi/documented-body.js';
import { RefusedOnASimulationCopy } from '../simulation-copy/nothing-runs-on-a-copy.js';

/** `POST /api/outbox/dispatch` delivers what is due now (ops, tests); `GET /api/outbox` counts by status. */
@Controller('outbox')
export class OutboxController {
  constructor(
    @Inject(OutboxService) private readonly outbox: OutboxService,
    @Inject(DataSource) private readonly ds: DataSource,
  ) {}

  @Post('dispatch')
  @Allow('admin')
  @RefusedOnASimulationCopy()
  @DocumentedResponse(200, 'The run: `{recovered, claimed, sent, retried, failed, blocked, lost}`')
  @DocumentedResponse(409, "The database is a simulation's copy (`code: simulation-copy`): nothing is sent from it")
  @HttpCode(200)
  dispatch() {
    return this.outbox.dispatchNow();
  }

  @Get()
  @Allow('analyst')
  counts() {
    return outboxCounts(this.ds);
  }
}
