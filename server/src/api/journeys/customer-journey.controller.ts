import { Controller, Get, Inject, NotFoundException, Param } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { customerJourney } from '../../persistence/journey-report.js';
import { Allow } from '../auth/allow.decorator.js';
import type { Workspace } from '../../config/workspace.js';
import { CLOCK, WORKSPACE } from '../tokens.js';
import type { Clock } from '../../core/clock.js';
import { whyNotEntered } from '../../runtime/why-not-entered.js';

/**
 * "Why did this customer (not) get the SMS?": journeys, every step with its reason, every send, the
 * events that started no journey (missedEntries) with why, and the live journeys with a segment entry
 * they are not in (notEntered) with what the segment says of them now (runtime/why-not-entered.ts).
 */
@Controller('customers')
@Allow('analyst')
export class CustomerJourneyController {
  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(WORKSPACE) private readonly workspace: Workspace,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get(':id/journey')
  async journey(@Param('id', { schema: z.coerce.number({ error: 'customer id: expected the numeric id (e.g. 42); use GET /api/customers?search= to find it' }).int().positive() }) id: number) {
    const j = await customerJourney(this.ds, id, this.workspace.shop.timezone);
    if (!j) throw new NotFoundException(`customer ${id} does not exist`);
    // The segments read per request (in whyNotEntered), as the segments API does: an edit in git shows without a restart.
    const notEntered = await whyNotEntered(this.ds, this.workspace, j, this.clock.now());
    return { ...j, notEntered };
  }
}
