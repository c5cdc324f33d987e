import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { RequestMethod, StandardSchemaValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import cookieParser from 'cookie-parser';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import type { AppOptions } from './app-options.js';
import { AppModule } from './app.module.js';
import { httpLatency } from './metrics/http-latency.js';
import { RekindleMetrics } from './metrics/rekindle-metrics.js';
import { OpenApiDocument } from './openapi/docs.controller.js';

/** Builds the HTTP app (used by `main.ts` and by the e2e tests through supertest). */
export async function createApp(opts: AppOptions): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(opts), {
    // Start-up lines wait for pino (logging/): JSON or pretty, with request ids, without PII.
    bufferLogs: true,
    rawBody: true,
  });
  app.useLogger(app.get(Logger));
  app.use(httpLatency(app.get(RekindleMetrics)));
  // Tracked links (`/r/:token`, api/channels/links.controller.ts) are clicked by customers: no /api.
  // Prometheus scrapes `/metrics` (api/metrics), where scrapers look by default.
  app.setGlobalPrefix('api', {
    exclude: [
      { path: 'r/:token', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
    ],
  });
  app.use(cookieParser());
  app.useGlobalPipes(new StandardSchemaValidationPipe());
  app.useBodyParser('json', { limit: '20mb' });
  app.useBodyParser('text', { limit: '200mb', type: ['text/csv', 'application/x-ndjson', 'text/plain'] });
  const designer = resolve('designer/dist');
  if (existsSync(designer)) app.useStaticAssets(designer);
  app.enableShutdownHooks();
  app.get(OpenApiDocument).attach(app);
  return app;
}
