import { Controller, Get, Inject, NotFoundException, Param } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { customerJourney } from '../../persistence/journey-report.js';
import { PolicyFile } from '../../persistence/policy-file.js';
import { queryRows } from '../../persistence/sql-batch.js';
import { Allow } from '../auth/allow.decorator.js';
import type { Workspace } from '../../config/workspace.js';
import { CLOCK, WORKSPACE } from '../tokens.js';
import type { Clock } from '../../core/clock.js';
import { whyNotEntered } from '../../runtime/why-not-entered.js';
import { journeySendsInView, sendLogViewFor } from '../../core/access/send-log-view.js';
import type { Principal } from '../../core/access/roles.js';
import { Caller } from '../auth/principal.decorator.js';

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

  /**
   * `:id`: the customer's numeric id, or their external id (`c000130`, `tb_mei`) as GET /api/customers/:id
   * takes it: the journey route took the numeric id only (walkthrough: the same id worked on one route
   * and was a 400 on the other). Digits are the numeric id, as before.
   */
  @Get(':id/journey')
  async journey(@Param('id', { schema: z.string().min(1, 'customer id: the numeric id (e.g. 42) or the external id (e.g. c000130)').max(200) }) key: string, @Caller() caller: Principal) {
    const id = /^\d+$/.test(key) ? Number(key) : await this.idOfExternal(key);
    // A block list by its title in the sends' `why`: the titles read once per request (an edit shows without a restart).
    const j = id === null ? null : await customerJourney(this.ds, id, this.workspace.shop.timezone, new PolicyFile(this.workspace.rulesDir).titledLists());
    if (!j) throw new NotFoundException(`customer ${/^\d+$/.test(key) ? key : `"${key}"`} does not exist`);
    // The segments read per request (in whyNotEntered), as the segments API does: an edit in git shows without a restart.
    const notEntered = await whyNotEntered(this.ds, this.workspace, j, this.clock.now());
    // An analyst reads the messages as the send log shows them to an analyst: no text (it carries the
    // customer's tracked link, which records a click as them), contacts in an error masked without the grant.
    return { ...j, sends: journeySendsInView(j.sends, sendLogViewFor(caller)), notEntered };
  }

  private async idOfExternal(externalId: string): Promise<number | null> {
    const [row] = await queryRows<{ id: number }>(this.ds, 'SELECT id FROM customers WHERE external_id = ?', [externalId]);
    return row ? Number(row.id) : null;
  }
}
