import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Allow } from '../auth/allow.decorator.js';
import { RekindleMetrics } from './rekindle-metrics.js';

/**
 * Prometheus scrape endpoint, `/metrics` (outside /api, where scrapers look for it). The series
 * carry no customer data but do describe the shop's volumes, so they are not public: a Prometheus
 * job scrapes with an API token holding only the `metrics:read` scope
 * (`rekindle users token prometheus --scopes metrics:read`, sent as `Authorization: Bearer …`);
 * signed-in admins may look too.
 */
@Controller()
@Allow('admin', 'metrics:read')
export class MetricsController {
  constructor(@Inject(RekindleMetrics) private readonly metrics: RekindleMetrics) {}

  @Get('metrics')
  async scrape(@Res() res: Response): Promise<void> {
    res.setHeader('Content-Type', this.metrics.registry.contentType);
    res.send(await this.metrics.exposition());
  }
}
