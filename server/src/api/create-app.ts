import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { RequestMethod, StandardSchemaValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AppOptions } from './app-options.js';
import { AppModule } from './app.module.js';

/** Uploads the imports controller streams itself (see api/imports/imports.controller.ts). */
export function isImportUpload(url: string | undefined): boolean {
  return /^\/api\/import\/[^/?]+(\?|$)/.test(url ?? '');
}

/** Builds the HTTP app (used by `main.ts` and by the e2e tests through supertest). */
export async function createApp(opts: AppOptions): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(opts), {
    logger: process.env.REKINDLE_QUIET ? ['error'] : ['error', 'warn', 'log'],
    rawBody: true,
  });
  // Tracked links (`/r/:token`, api/channels/links.controller.ts) are clicked by customers: no /api.
  app.setGlobalPrefix('api', { exclude: [{ path: 'r/:token', method: RequestMethod.GET }] });
  app.useGlobalPipes(new StandardSchemaValidationPipe());
  app.useBodyParser('json', { limit: '20mb' });
  // File imports (`POST /api/import/:kind`) are streamed from the socket by their controller, so
  // a 1 GB CSV never sits in memory; other text bodies are small.
  const TEXT_TYPES = /^(text\/csv|application\/(x-)?ndjson|application\/jsonl|text\/plain)\b/i;
  app.useBodyParser('text', { limit: '20mb', type: (req: { url?: string; headers: Record<string, string | string[] | undefined> }) => TEXT_TYPES.test(String(req.headers['content-type'] ?? '')) && !isImportUpload(req.url) });
  const designer = resolve('designer/dist');
  if (existsSync(designer)) app.useStaticAssets(designer);
  app.enableShutdownHooks();
  return app;
}
