import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import cookieParser from 'cookie-parser';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { PinoLogger } from 'nestjs-pino';
import type { AppOptions } from './app-options.js';
import { AppModule } from './app.module.js';
import { corsHeadersWithoutOrigin, corsOptions } from './cors-settings.js';
import { bodyErrors, bodyParsers } from './http-limits.js';
import { QuietFrameworkLogger } from './logging/framework-chatter.js';
import { refuseNulCharacters } from './nul-characters.js';
import { serveDesigner } from './designer-files.js';
import { loadSettings } from '../config/settings.js';
import { httpLatency } from './metrics/http-latency.js';
import { RekindleMetrics } from './metrics/rekindle-metrics.js';
import { OpenApiDocument } from './openapi/docs.controller.js';
import { recordedSecurityHeaders, securityHeaders } from './security-headers.js';
import { ACCOUNTS } from './auth/auth.tokens.js';
import { answerFirst, eventsFastPath } from './events/events-fast-path.js';
import { EventsService } from './events/events.service.js';
import type { AccountStore } from '../persistence/accounts.js';
import type { EventBatchParser } from '../runtime/event-batch-parser.js';
import { EVENT_BATCH_PARSER } from './tokens.js';
import { NamedSchemaValidationPipe } from './validation/named-schema-pipe.js';
import { ErrorBodyFilter } from './error-body.js';

/** Builds the HTTP app (used by `main.ts` and by the e2e tests through supertest). */
export async function createApp(opts: AppOptions): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(opts), {
    // Start-up lines wait for pino (logging/): JSON or pretty, with request ids, without PII.
    bufferLogs: true,
    // Body parsers are registered per endpoint below (http-limits.ts).
    bodyParser: false,
  });
  app.useLogger(app.get(QuietFrameworkLogger));
  const settings = opts.settings ?? loadSettings();
  const cors = corsOptions(settings.REKINDLE_CORS_ORIGINS);
  // Behind the TLS proxy: req.ip / req.secure from its forwarded headers, only for the proxies the
  // admin named (config/trust-proxy.ts); unset, the headers are ignored. Before any middleware reads them.
  app.set('trust proxy', settings.REKINDLE_TRUST_PROXY ?? false);
  // Event feeds (API tokens) skip Express and the general stack below; the handler does the same for them (events-fast-path.ts).
  // Their lists are parsed and validated in a thread of their own (runtime/event-batch-parser.ts).
  // Stopped with the app (core.module.ts), not with the HTTP server: supertest closes that after each request.
  const batchParser = app.get<EventBatchParser | null>(EVENT_BATCH_PARSER);
  answerFirst(
    app.getHttpServer(),
    eventsFastPath({ accounts: app.get<AccountStore>(ACCOUNTS), events: app.get(EventsService), logger: () => PinoLogger.root, securityHeaders: recordedSecurityHeaders(), corsHeaders: corsHeadersWithoutOrigin(cors), metrics: app.get(RekindleMetrics), batchParser }),
  );
  app.use(httpLatency(app.get(RekindleMetrics)));
  // Tracked links (`/r/:token`, api/channels/links.controller.ts) are clicked by customers: no /api.
  // Prometheus scrapes `/metrics` (api/metrics), where scrapers look by default.
  app.setGlobalPrefix('api', {
    exclude: [
      { path: 'r/:token', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
    ],
  });
  // Safe defaults: no framework banner, security headers (helmet), CORS closed unless configured.
  app.disable('x-powered-by');
  app.use(securityHeaders());
  if (cors) app.enableCors(cors);
  app.use(cookieParser());
  for (const p of bodyParsers()) (p.path ? app.use(p.path, p.handler) : app.use(p.handler));
  app.use(bodyErrors);
  app.use(refuseNulCharacters);
  app.useGlobalPipes(new NamedSchemaValidationPipe());
  app.useGlobalFilters(new ErrorBodyFilter(app.getHttpAdapter()));
  const designer = resolve('designer/dist');
  if (existsSync(designer)) serveDesigner(app, designer);
  app.enableShutdownHooks();
  app.get(OpenApiDocument).attach(app);
  return app;
}
