import { Module, type DynamicModule } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { TypeOrmModule } from '@nestjs/typeorm';
import { dataSourceOptions, openDatabase } from '../persistence/data-source.js';
import type { AppOptions } from './app-options.js';
import { AuthModule } from './auth/auth.module.js';
import { CoreModule } from './core.module.js';
import { FEATURE_MODULES } from './feature-modules.js';
import { HealthController } from './health.controller.js';

@Module({})
export class AppModule {
  static forRoot(opts: AppOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => dataSourceOptions(opts.database),
          // Same opening path as the CLI: migrations run before the first request.
          dataSourceFactory: async () => openDatabase(opts.database),
        }),
        ...(opts.schedulers === false ? [] : [ScheduleModule.forRoot()]),
        CoreModule.forRoot(opts),
        AuthModule.forRoot(opts),
        ...FEATURE_MODULES,
      ],
      controllers: [HealthController],
    };
  }
}
