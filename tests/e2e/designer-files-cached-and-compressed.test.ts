/**
 * The designer's files as a browser gets them from the real app: the content-named scripts (2.4 MB:
 * the editor and the ELK layout engine) are compressed and kept by the browser for a year without
 * asking again, while index.html — which names the current scripts — is asked again on every load,
 * so a new release reaches a marketer on the next reload. Anyone may fetch them (the sign-in page
 * is one); API answers are not compressed.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { designerCacheControl } from '../../server/src/api/designer-files.js';
import { fixedClock } from '../../server/src/core/clock.js';
import { buildDesignerIfStale } from '../support/designer-build.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';
import { createTestApp, rawBytes, type TestApp } from '../support/http-app.js';

const ASSETS = join('designer', 'dist', 'assets');

describe('the designer files', () => {
  let db: TestDatabase;
  let api: TestApp;

  beforeAll(async () => {
    buildDesignerIfStale();
    db = await openTestDatabase('sqlite');
    api = await createTestApp({ database: db.target, rulesDir: 'rules', clock: fixedClock(Date.parse('2026-11-02T02:00:00Z')), schedulers: false });
  }, 120_000);
  afterAll(async () => {
    await api?.close();
    await db?.close();
  });

  it('serves the page to anyone and has the browser ask for it again on every load (a 304 when unchanged)', async () => {
    const page = await api.http('anonymous').get('/');
    expect(page.status).toBe(200);
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.text).toMatch(/\/assets\/index-[\w-]+\.js/);
    const again = await api.http('anonymous').get('/').set('If-None-Match', page.headers.etag);
    expect(again.status).toBe(304);
  });

  it('sends every script and style the page names compressed, kept for a year, and the same bytes as built', async () => {
    const page = await api.http('anonymous').get('/');
    const named = [...page.text.matchAll(/\/assets\/([\w.-]+)/g)].map((m) => m[1]);
    const built = readdirSync(ASSETS);
    expect(named.length).toBeGreaterThanOrEqual(2);
    // The layout engine is loaded on demand, not named by the page: it is served the same way.
    for (const file of new Set([...named, ...built.filter((f) => f.endsWith('.js'))])) {
      const res = await api.http('anonymous').get(`/assets/${file}`).set('Accept-Encoding', 'gzip').buffer(true).parse(rawBytes);
      expect([file, res.status]).toEqual([file, 200]);
      expect([file, res.headers['content-encoding']]).toEqual([file, 'gzip']);
      expect([file, res.headers['cache-control']]).toEqual([file, 'public, max-age=31536000, immutable']);
      expect((res.body as Buffer).equals(readFileSync(join(ASSETS, file)))).toBe(true);
    }
  });

  it('sends a file plain to a client that does not accept compression', async () => {
    const js = readdirSync(ASSETS).find((f) => /^index-.*\.js$/.test(f))!;
    const res = await api.http('anonymous').get(`/assets/${js}`).set('Accept-Encoding', 'identity');
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(Number(res.headers['content-length'])).toBe(readFileSync(join(ASSETS, js)).length);
  });

  it('leaves API answers uncompressed and answers an unknown file with 404', async () => {
    const health = await api.http('anonymous').get('/api/health').set('Accept-Encoding', 'gzip');
    expect(health.status).toBe(200);
    expect(health.headers['content-encoding']).toBeUndefined();
    const flows = await api.http('marketer').get('/api/flows').set('Accept-Encoding', 'gzip');
    expect(flows.status).toBe(200);
    expect(flows.headers['content-encoding']).toBeUndefined();
    expect((await api.http('anonymous').get('/assets/index-00000000.js')).status).toBe(404);
  });

  it('keeps only content-named files for a year', () => {
    expect(designerCacheControl('/x/designer/dist/assets/index-axZ9HrWb.js')).toBe('public, max-age=31536000, immutable');
    expect(designerCacheControl('/x/designer/dist/assets/elk.bundled-gVVCyO5R.js')).toBe('public, max-age=31536000, immutable');
    expect(designerCacheControl('/x/designer/dist/assets/index-iYLZiuX5.css')).toBe('public, max-age=31536000, immutable');
    expect(designerCacheControl('/x/designer/dist/index.html')).toBe('no-cache');
    expect(designerCacheControl('/x/designer/dist/favicon.svg')).toBe('no-cache');
  });
});
