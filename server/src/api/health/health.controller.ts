import { Controller, Get, Inject } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { Public } from '../auth/allow.decorator.js';
import { ReadinessIndicators } from './readiness.indicators.js';

/**
 * Liveness and readiness for a load balancer or an orchestrator (no credentials: probes are
 * anonymous; the answers name no customer, path or secret).
 * - `GET /api/health`: the process is up and serving HTTP (restart it if this fails).
 * - `GET /api/health/ready`: it can do its job — the database answers, the engine ticks, the
 *   outbox drains (take it out of rotation while this answers 503).
 */
@Controller('health')
@Public()
export class HealthController {
  constructor(
    @Inject(HealthCheckService) private readonly health: HealthCheckService,
    @Inject(ReadinessIndicators) private readonly ready: ReadinessIndicators,
  ) {}

  @Get()
  @HealthCheck()
  liveness() {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck()
  readiness() {
    return this.health.check([() => this.ready.database(), () => this.ready.engine(), () => this.ready.outbox()]);
  }
}
