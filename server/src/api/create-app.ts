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

/** Uploads the imports controller streams itself (see api/imports/imports.controller.ts). */
export function isImportUpload(url: string | undefined): boolean {
  return /^\/api\/import\/[^/?]+(\?|$)/.test(url ?? '');
}

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
  // File imports (`POST /api/import/:kind`) are streamed from the socket by their controller, so
  // a 1 GB CSV never sits in memory; other text bodies are small.
  const TEXT_TYPES = /^(text\/csv|application\/(x-)?ndjson|application\/jsonl|text\/plain)\b/i;
  app.useBodyParser('text', { limit: '20mb', type: (req: { url?: string; headers: Record<string, string | string[] | undefined> }) => TEXT_TYPES.test(String(req.headers['content-type'] ?? '')) && !isImportUpload(req.url) });
  const designer = resolve('designer/dist');
  if (existsSync(designer)) app.useStaticAssets(designer);
  app.enableShutdownHooks();
  app.get(OpenApiDocument).attach(app);
  return app;
}
