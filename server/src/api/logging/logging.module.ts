import { Module, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { QuietFrameworkLogger } from './framework-chatter.js';
import { loggerParams, type LogSettings } from './logger-options.js';

/** Structured logs (nestjs-pino): the app's Nest logger is replaced by pino in create-app.ts. */
@Module({})
export class LoggingModule {
  static forRoot(settings: LogSettings, destination?: DestinationStream): DynamicModule {
    return { module: LoggingModule, imports: [LoggerModule.forRoot(loggerParams(settings, destination))], providers: [QuietFrameworkLogger], exports: [QuietFrameworkLogger] };
  }
}
