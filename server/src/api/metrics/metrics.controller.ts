import { Controller, ForbiddenException, Get, Inject, Req, Res, UnauthorizedException } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Settings } from '../../config/settings.js';
import { SETTINGS } from '../tokens.js';
import { metricsAccess } from './metrics-access.js';
import { RekindleMetrics } from './rekindle-metrics.js';

/** Prometheus scrape endpoint, `/metrics` (outside /api, where scrapers look for it). */
@Controller()
export class MetricsController {
  constructor(
    @Inject(RekindleMetrics) private readonly metrics: RekindleMetrics,
    @Inject(SETTINGS) private readonly settings: Settings,
  ) {}

  @Get('metrics')
  async scrape(@Req() req: Request, @Res() res: Response): Promise<void> {
    const access = metricsAccess(this.settings.METRICS_TOKEN, {
      remoteAddress: req.socket.remoteAddress,
      authorization: req.headers.authorization,
      forwarded: req.headers['x-forwarded-for'] !== undefined || req.headers.forwarded !== undefined,
    });
    if (access === 'token-required') {
      res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
      throw new UnauthorizedException('metrics: send Authorization: Bearer <METRICS_TOKEN>');
    }
    if (access === 'local-only') throw new ForbiddenException('metrics: only callers on this machine may scrape; set METRICS_TOKEN to scrape from elsewhere');
    res.setHeader('Content-Type', this.metrics.registry.contentType);
    res.send(await this.metrics.exposition());
  }
}
