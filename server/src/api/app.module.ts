import { Module, type DynamicModule } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { TypeOrmModule } from '@nestjs/typeorm';
import { loadSettings } from '../config/settings.js';
import { dataSourceOptions, openDatabase } from '../persistence/data-source.js';
import type { AppOptions } from './app-options.js';
import { AuthModule } from './auth/auth.module.js';
import { CoreModule } from './core.module.js';
import { FEATURE_MODULES } from './feature-modules.js';
import { HealthModule } from './health/health.module.js';
import { LoggingModule } from './logging/logging.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { OpenApiModule } from './openapi/openapi.module.js';

@Module({})
export class AppModule {
  static forRoot(opts: AppOptions): DynamicModule {
    const settings = opts.settings ?? loadSettings();
    return {
      module: AppModule,
      imports: [
        LoggingModule.forRoot(settings, opts.logDestination),
        TypeOrmModule.forRootAsync({
          useFactory: () => dataSourceOptions(opts.database),
          // Same opening path as the CLI: migrations run before the first request.
          dataSourceFactory: async () => openDatabase(opts.database),
        }),
        ...(opts.schedulers === false ? [] : [ScheduleModule.forRoot()]),
        CoreModule.forRoot({ ...opts, settings }),
        AuthModule.forRoot(opts),
        MetricsModule,
        HealthModule.forRoot({ database: opts.database, schedulers: opts.schedulers !== false }),
        OpenApiModule,
        ...FEATURE_MODULES,
      ],
    };
  }
}
