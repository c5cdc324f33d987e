import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadSettings } from '../../server/src/config/settings.js';
import { VirtualClock } from '../../server/src/core/clock.js';
import { openApiText } from '../../server/src/api/openapi/openapi-document.js';
import { createTestApp, type TestApp } from '../support/http-app.js';
import { nestRoutes } from '../support/route-table.js';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { ModulesContainer } from '@nestjs/core';

// Nest's RouteParamtypes.BODY and RAW_BODY: the keys of @Body() / @RawBody() in a handler's argument metadata.
const BODY = 3;
const RAW_BODY = 12;
const DOC_FILE = join(process.cwd(), 'docs/openapi.json');

describe('OpenAPI document and /api/docs', () => {
  let t: TestApp;
  let doc: { openapi: string; paths: Record<string, Record<string, { operationId?: string; security?: unknown[]; 'x-rekindle-access'?: unknown; requestBody?: { content: Record<string, { schema: Record<string, unknown> }> }; parameters?: { name: string; in: string; schema?: Record<string, unknown> }[] }>> };
  beforeAll(async () => {
    t = await createTestApp({ database: { url: ':memory:' }, rulesDir: join(process.cwd(), 'rules'), clock: new VirtualClock(0), schedulers: false, settings: loadSettings({ LOG_LEVEL: 'silent' }) });
    doc = (await t.http('anonymous').get('/api/docs/openapi.json').expect(200)).body;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('docs/openapi.json equals the document generated from the code (run `rekindle openapi` after changing a route or a schema)', async () => {
    const text = (await t.http('anonymous').get('/api/docs/openapi.json').expect(200)).text;
    expect(readFileSync(DOC_FILE, 'utf8')).toBe(openApiText(JSON.parse(text)));
  });

  it('lists every route of the Nest route table, with who may call it', () => {
    expect(doc.openapi).toBe('3.1.0');
    const routes = nestRoutes(t.app);
    expect(routes.length).toBeGreaterThan(30);
    const missing: string[] = [];
    const noAccess: string[] = [];
    for (const r of routes) {
      const path = r.path.replace(/:(\w+)/g, '{$1}');
      const op = doc.paths[path]?.[r.method.toLowerCase()];
      if (!op) missing.push(`${r.method} ${r.path}`);
      else if (op['x-rekindle-access'] === undefined) noAccess.push(`${r.method} ${r.path}`);
    }
    expect(missing).toEqual([]);
    expect(noAccess).toEqual([]);
    expect(doc.paths['/api/health/ready'].get).toMatchObject({ security: [], 'x-rekindle-access': 'public' });
    expect(doc.paths['/metrics'].get['x-rekindle-access']).toEqual(['admin', 'metrics:read']);
  });

  it('describes request bodies and parameters with the zod schemas that validate them', () => {
    const publish = doc.paths['/api/flows/{id}/publish'].post;
    const id = publish.parameters!.find((p) => p.name === 'id' && p.in === 'path');
    expect(id?.schema).toMatchObject({ type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$' });
    // JSON Schema 2020-12 (OpenAPI 3.1): nullable fields are type arrays, not `nullable: true`.
    const order = doc.paths['/api/orders'].post.requestBody!.content['application/json'].schema as { type: string; properties: Record<string, { type?: unknown; enum?: unknown }> };
    expect(order.type).toBe('object');
    expect(order.properties.status.enum).toEqual(['created', 'paid', 'shipped', 'completed', 'refunded', 'cancelled']);
    expect(order.properties.paidAt.type).toEqual(['string', 'number', 'null']);
    // A query object schema becomes one parameter per field.
    const search = doc.paths['/api/customers'].get.parameters!.map((p) => `${p.in}:${p.name}`);
    expect(search).toEqual(expect.arrayContaining(['query:search']));
  });

  it('documents a request body on every POST/PUT route that reads one (a route validating its body itself too)', () => {
    const reads: string[] = [];
    const undocumented: string[] = [];
    for (const mod of t.app.get(ModulesContainer).values()) {
      for (const w of mod.controllers.values()) {
        const type = w.metatype as (new (...a: unknown[]) => unknown) | null;
        if (!type?.prototype) continue;
        for (const r of nestRoutes(t.app).filter((x) => x.controller === type.name && ['POST', 'PUT', 'PATCH'].includes(x.method))) {
          const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, type, r.handler) ?? {}) as Record<string, unknown>;
          const readsBody = Object.keys(args).some((k) => k.startsWith(`${BODY}:`) || k.startsWith(`${RAW_BODY}:`));
          const path = r.path.replace(/:(\w+)/g, '{$1}');
          // The import route reads the raw stream (@Req): its body is a file, documented as one.
          if (!readsBody && path !== '/api/import/{kind}') continue;
          reads.push(`${r.method} ${path}`);
          if (!doc.paths[path]?.[r.method.toLowerCase()]?.requestBody) undocumented.push(`${r.method} ${path}`);
        }
      }
    }
    expect(reads).toEqual(expect.arrayContaining(['POST /api/events', 'POST /api/import/{kind}', 'PUT /api/policy', 'POST /api/segments', 'POST /api/segments/preview']));
    expect(undocumented).toEqual([]);
    const events = doc.paths['/api/events'].post as unknown as { requestBody: { content: Record<string, { schema: { anyOf: { type: string }[] } }> }; responses: Record<string, { content?: Record<string, { schema: { properties: Record<string, unknown> } }> }> };
    expect(events.requestBody.content['application/json'].schema.anyOf.map((s) => s.type)).toEqual(['object', 'array']);
    expect(Object.keys(events.responses).sort()).toEqual(['200', '400', '409']);
    expect(Object.keys(events.responses['400'].content!['application/json'].schema.properties)).toEqual(expect.arrayContaining(['rejected', 'message']));
    expect(Object.keys(events.responses['409'].content!['application/json'].schema.properties)).toContain('conflicts');
  });

  it('documents optional query parameters as optional, so a generated client can call GET /api/analysis/rfm without ?at=', () => {
    const query = (path: string) => Object.fromEntries((doc.paths[path].get.parameters ?? []).filter((p) => p.in === 'query').map((p) => [p.name, (p as { required?: boolean }).required ?? false]));
    expect(query('/api/analysis/rfm')).toEqual({ at: false });
    expect(query('/api/analysis/lifecycle')).toEqual({ at: false, shares: false });
    expect(query('/api/segments/{name}/count')).toEqual({ at: false, evaluator: false, ids: false, sample: false });
    expect(query('/api/experiments/{id}/report')).toEqual({ at: false, excel: false, format: false });
  });

  it('documents the answers a client must handle besides 200, such as the 204 of an experiment drawn but not published', () => {
    const report = doc.paths['/api/experiments/{id}/report'].get as unknown as { responses: Record<string, { description: string }> };
    expect(Object.keys(report.responses).sort()).toEqual(['200', '204', '400', '404']);
    expect(report.responses['204'].description).toMatch(/not published/);
  });

  it("documents an experiment report's decision by its machine-readable code and figures, beside the English reason", () => {
    const report = doc.paths['/api/experiments/{id}/report'].get as unknown as { responses: Record<string, { content: Record<string, { schema: { properties: Record<string, { anyOf: { anyOf?: { properties: Record<string, { enum?: unknown[]; type?: unknown }>; required: string[] }[] }[] }> } }> }> };
    const decision = report.responses['200'].content['application/json'].schema.properties.decision;
    const shapes = decision.anyOf.flatMap((x) => x.anyOf ?? []);
    expect(shapes.map((s) => s.properties.code.enum?.[0] ?? s.properties.code.type)).toEqual(['winner', 'not-significant', 'behind', 'not-enough-data', 'no-treatment-customers', 'null']);
    for (const s of shapes) expect(s.required).toEqual(expect.arrayContaining(['arm', 'winner', 'reason', 'code', 'figures', 'decidedAt']));
  });

  it('serves an interactive page that loads its script and styles from the server', async () => {
    const page = await t.http('anonymous').get('/api/docs').expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).not.toMatch(/<script>(?!<\/script>)/); // no inline script
    for (const asset of page.text.match(/\/api\/docs\/assets\/[\w.-]+/g)!) await t.http('anonymous').get(asset).expect(200);
    await t.http('anonymous').get('/api/docs/assets/package.json').expect(404);
    await t.http('anonymous').get('/api/docs/assets/..%2F..%2Fpackage.json').expect(404);
  });

  it('"Try it out" with the designer session sends the CSRF header on changes, so they are not refused with 403', async () => {
    // The page's own script, run as the browser would, with the admin's session cookie.
    const init = (await t.http('anonymous').get('/api/docs/assets/init.js').expect(200)).text;
    const session = t.headers('admin').Cookie;
    let config: { requestInterceptor(req: { method: string; url: string; headers: Record<string, string> }): unknown } | undefined;
    const fetchWithCookie = async (url: string) => {
      const res = await t.http('anonymous').get(url).set('Cookie', session);
      return { json: async () => res.body };
    };
    new Function('window', 'SwaggerUIBundle', 'SwaggerUIStandalonePreset', 'fetch', init)({}, Object.assign((c: typeof config) => (config = c), { presets: { apis: {} } }), {}, fetchWithCookie);
    const req = await config!.requestInterceptor({ method: 'POST', url: '/api/segments/preview', headers: { 'Content-Type': 'application/json' } });
    const { headers } = req as { headers: Record<string, string> };
    const tried = await t.http('anonymous').post('/api/segments/preview').set('Cookie', session).set(headers).send({ conditions: { all: [{ fact: 'orderCount', operator: 'greaterThan', value: 3 }] } });
    expect(tried.status).toBe(200);
    // Reads and token calls are sent as they are.
    expect(await config!.requestInterceptor({ method: 'GET', url: '/api/flows', headers: {} })).toEqual({ method: 'GET', url: '/api/flows', headers: {} });
    expect(await config!.requestInterceptor({ method: 'POST', url: '/api/events', headers: { Authorization: 'Bearer rk_x' } })).toEqual({ method: 'POST', url: '/api/events', headers: { Authorization: 'Bearer rk_x' } });
  });
});
