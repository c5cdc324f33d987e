import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { answerFirst } from '../../server/src/api/events/events-fast-path.js';

/**
 * The events fast path runs in front of the Express app (answerFirst): what it passes on reaches
 * the app unchanged, and a handler that throws gets a 500 as Express would give — outside Express
 * an uncaught throw in a request listener would end the process.
 */
describe('answerFirst', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createServer((req, res) => res.end(`app saw ${req.url}`));
    answerFirst(server, (req, res, next) => {
      if (req.url === '/throw') throw new Error('/secret/path/to/file.ts: boom');
      if (req.url === '/front') return void res.end('answered in front');
      next();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));

  const get = (path: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      request({ port, host: '127.0.0.1', path }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
        .on('error', reject)
        .end();
    });

  it('answers what it handles and passes the rest to the app', async () => {
    expect(await get('/front')).toEqual({ status: 200, body: 'answered in front' });
    expect(await get('/other')).toEqual({ status: 200, body: 'app saw /other' });
  });

  it('answers a throw with a 500 that names no server path, and keeps serving', async () => {
    const r = await get('/throw');
    expect(r.status).toBe(500);
    expect(r.body).not.toMatch(/secret|boom/);
    expect(await get('/other')).toEqual({ status: 200, body: 'app saw /other' });
  });
});
