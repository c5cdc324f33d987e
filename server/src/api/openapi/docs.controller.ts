import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Controller, Get, Header, Inject, Injectable, NotFoundException, Param, StreamableFile } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import { Public } from '../auth/allow.decorator.js';
import { buildOpenApiDocument } from './openapi-document.js';

/** Holds the app so the document is generated on first request (routes are all registered by then). */
@Injectable()
export class OpenApiDocument {
  private app: INestApplication | null = null;
  private doc: Promise<OpenAPIObject> | null = null;
  attach(app: INestApplication): void {
    this.app = app;
  }
  get(): Promise<OpenAPIObject> {
    if (!this.app) throw new NotFoundException('API document not available');
    // A failed build is not kept: the next request tries again.
    return (this.doc ??= buildOpenApiDocument(this.app).catch((e: unknown) => {
      this.doc = null;
      throw e;
    }));
  }
}

/** Swagger UI's files, from the swagger-ui-dist that @nestjs/swagger itself depends on. */
const swaggerRequire = createRequire(createRequire(import.meta.url).resolve('@nestjs/swagger'));
const UI_DIR = dirname(swaggerRequire.resolve('swagger-ui-dist/package.json'));
const UI_FILES: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

const PAGE = `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Rekindle API</title>
  <link rel="icon" href="/api/docs/assets/favicon-32x32.png">
  <link rel="stylesheet" href="/api/docs/assets/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/api/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/api/docs/assets/swagger-ui-standalone-preset.js"></script>
  <script src="/api/docs/assets/init.js"></script>
</body>
</html>
`;

// No inline script (a strict Content-Security-Policy allows only same-origin scripts).
// "Try it out" with the designer session: a change (POST, PUT, DELETE…) needs the CSRF header
// (api/auth/csrf.ts), which only GET /api/auth/me hands out (its cookie is HttpOnly); without it
// every change answered 403. Requests with an API token (Authorize) need none.
const INIT = `window.ui = SwaggerUIBundle({
  url: '/api/docs/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  withCredentials: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: 'StandaloneLayout',
  requestInterceptor: function (req) {
    var method = String(req.method || 'GET').toUpperCase();
    var headers = req.headers || (req.headers = {});
    if (method === 'GET' || method === 'HEAD' || headers.Authorization || headers.authorization) return req;
    return fetch('/api/auth/me', { credentials: 'same-origin' })
      .then(function (r) { return r.json(); })
      .then(function (me) {
        if (me && me.csrfToken) headers['x-csrf-token'] = me.csrfToken;
        return req;
      }, function () { return req; });
  },
});
`;

/**
 * The API reference: `/api/docs` (interactive page, Swagger UI; "Try it out" runs with the
 * caller's own session or token) and `/api/docs/openapi.json`. Public: the document describes
 * the open-source API, not any shop's data.
 */
@Controller('docs')
@Public()
export class DocsController {
  constructor(@Inject(OpenApiDocument) private readonly document: OpenApiDocument) {}

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  page(): string {
    return PAGE;
  }

  @Get('openapi.json')
  json(): Promise<OpenAPIObject> {
    return this.document.get();
  }

  @Get('assets/:file')
  asset(@Param('file') file: string): StreamableFile {
    if (file === 'init.js') return new StreamableFile(Buffer.from(INIT), { type: 'text/javascript; charset=utf-8' });
    const type = UI_FILES[file];
    if (!type) throw new NotFoundException(`no such file: ${file}`);
    return new StreamableFile(createReadStream(join(UI_DIR, file)), { type });
  }
}
