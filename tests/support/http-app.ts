import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import type { AppOptions } from '../../server/src/api/app-options.js';
import { ACCOUNTS, CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE } from '../../server/src/api/auth/auth.tokens.js';
import { createApp } from '../../server/src/api/create-app.js';
import type { AccountStore } from '../../server/src/persistence/accounts.js';

/**
 * A supertest parser that keeps an answer's body as the bytes sent (`.buffer(true).parse(rawBytes)`):
 * a CSV's byte order mark, a file compared with the one built. Superagent would decode text.
 */
export function rawBytes(res: import('superagent').Response, done: (e: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

/**
 * The one way HTTP tests build the server and talk to it. Tests call `t.http()` (or
 * `t.http('analyst')`, `t.http('anonymous')`) instead of `request(app.getHttpServer())`, so the
 * credentials each role sends live here and nowhere else: each role has an account, signed in
 * through POST /api/auth/sign-in, and sends its session cookie and CSRF token like the designer.
 */
export type TestRole = 'admin' | 'marketer' | 'analyst' | 'anonymous';
export const SIGNED_IN_ROLES = ['admin', 'marketer', 'analyst'] as const;
export const TEST_PASSWORD = 'correct horse battery staple';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete' | 'options' | 'head';
export type TestAgent = Record<Method, (url: string) => request.Test>;

export interface TestApp {
  app: NestExpressApplication;
  /** A supertest client acting as `role` (default admin). */
  http(role?: TestRole): TestAgent;
  /** The headers `role` sends (session cookie + CSRF token), e.g. for fetch or a spawned client. */
  headers(role: TestRole): Record<string, string>;
  accounts: AccountStore;
  close(): Promise<void>;
}

/** Test apps keep their server secret in memory unless the test names a file. */
export async function createTestApp(opts: AppOptions): Promise<TestApp> {
  const app = await createApp({ secretFile: null, ...opts });
  await app.init();
  const server = app.getHttpServer();
  const accounts = app.get<AccountStore>(ACCOUNTS);
  const headers: Record<TestRole, Record<string, string>> = { admin: {}, marketer: {}, analyst: {}, anonymous: {} };
  for (const role of SIGNED_IN_ROLES) {
    if (!(await accounts.find(role))) await accounts.add(role, role, TEST_PASSWORD);
    const res = await request(server).post('/api/auth/sign-in').send({ username: role, password: TEST_PASSWORD });
    if (res.status !== 200) throw new Error(`test sign-in as ${role} failed: ${res.status} ${JSON.stringify(res.body)}`);
    const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]);
    const wanted = cookies.filter((c) => c.startsWith(`${SESSION_COOKIE}=`) || c.startsWith(`${CSRF_COOKIE}=`));
    headers[role] = { Cookie: wanted.join('; '), [CSRF_HEADER]: res.body.csrfToken };
  }
  return {
    app,
    accounts,
    headers: (role) => ({ ...headers[role] }),
    http(role: TestRole = 'admin') {
      const h = headers[role];
      const call = (m: Method) => (url: string) => request(server)[m](url).set(h);
      return { get: call('get'), post: call('post'), put: call('put'), patch: call('patch'), delete: call('delete'), options: call('options'), head: call('head') };
    },
    close: () => app.close(),
  };
}
