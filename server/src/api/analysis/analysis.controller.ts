import { BadRequestException, Controller, Get, Inject, Query } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { lifecycleReport, rfmReport } from '../../core/analysis/report.js';
import { parseShares } from '../../core/analysis/thresholds.js';
import type { Clock } from '../../core/clock.js';
import { parseShopInstant } from '../../core/shop-instant.js';
import type { Workspace } from '../../config/workspace.js';
import { loadAnalysisInput } from '../../persistence/analysis-source.js';
import { CLOCK, WORKSPACE } from '../tokens.js';
import { Allow } from '../auth/allow.decorator.js';
import { OptionalQuery } from '../openapi/deferred-swagger.js';

/**
 * The lifecycle and RFM analyses of `rekindle analyse`, from the shop database.
 * `?at=` evaluates recency at another instant (ISO-8601); `?shares=0.3,0.6,0.9` moves the cuts.
 */
@Controller('analysis')
@Allow('analyst')
export class AnalysisController {
  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(WORKSPACE) private readonly workspace: Workspace,
  ) {}

  private async input(at?: string, shares?: string) {
    let when: number;
    let cut: [number, number, number] | undefined;
    try {
      when = at ? parseShopInstant(at, 'at', this.workspace.shop.timezone) : this.clock.now();
      cut = shares ? parseShares(shares) : undefined;
    } catch (e) {
      throw new BadRequestException((e as Error).message);
    }
    return loadAnalysisInput(this.ds, this.workspace.shop, when, cut);
  }

  @Get('lifecycle')
  @OptionalQuery('at', 'evaluate at this instant (ISO-8601; a date or local time is in the shop\'s time zone); default now')
  @OptionalQuery('shares', 'cumulative interval shares cut for active/silent/sleeping, e.g. 0.3,0.6,0.9 (the default)')
  async lifecycle(@Query('at') at?: string, @Query('shares') shares?: string) {
    return lifecycleReport(await this.input(at, shares));
  }

  @Get('rfm')
  @OptionalQuery('at', 'evaluate at this instant (ISO-8601; a date or local time is in the shop\'s time zone); default now')
  async rfm(@Query('at') at?: string) {
    return rfmReport(await this.input(at));
  }
}
