import { Controller, Get, Inject, NotFoundException, Param } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { customerJourney } from '../../persistence/journey-report.js';
import { Allow } from '../auth/allow.decorator.js';
import type { Workspace } from '../../config/workspace.js';
import { WORKSPACE } from '../tokens.js';

/** "Why did this customer (not) get the SMS?": journeys, every step with its reason, every send, and the events that started no journey (missedEntries) with why. */
@Controller('customers')
@Allow('analyst')
export class CustomerJourneyController {
  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(WORKSPACE) private readonly workspace: Workspace,
  ) {}

  @Get(':id/journey')
  async journey(@Param('id', { schema: z.coerce.number({ error: 'customer id: expected the numeric id (e.g. 42); use GET /api/customers?search= to find it' }).int().positive() }) id: number) {
    const j = await customerJourney(this.ds, id, this.workspace.shop.timezone);
    if (!j) throw new NotFoundException(`customer ${id} does not exist`);
    return j;
  }
}
