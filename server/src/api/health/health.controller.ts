import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse } from '../openapi/deferred-swagger.js';
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

  // Documented here rather than by terminus (whose optional swagger hook loads only under CommonJS).
  @Get()
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOkResponse({ description: 'The process is up: `{"status":"ok"}`' })
  liveness() {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOkResponse({ description: 'Ready: `status` ok, `details` per check (database, engine, outbox)' })
  @ApiServiceUnavailableResponse({ description: 'Not ready: `error` names each failing check and says why' })
  readiness() {
    return this.health.check([() => this.ready.database(), () => this.ready.engine(), () => this.ready.outbox()]);
  }
}
