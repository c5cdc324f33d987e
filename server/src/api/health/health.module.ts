import { Module, type DynamicModule } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller.js';
import { HEALTH_OPTIONS, ReadinessIndicators, type HealthOptions } from './readiness.indicators.js';

/** Liveness and readiness (@nestjs/terminus). */
@Module({})
export class HealthModule {
  static forRoot(opts: HealthOptions): DynamicModule {
    return {
      module: HealthModule,
      imports: [TerminusModule.forRoot({ errorLogStyle: 'json' })],
      controllers: [HealthController],
      providers: [{ provide: HEALTH_OPTIONS, useValue: opts }, ReadinessIndicators],
    };
  }
}
