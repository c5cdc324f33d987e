import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import type { AppOptions } from '../../server/src/api/app-options.js';
import { createApp } from '../../server/src/api/create-app.js';

/**
 * The one way HTTP tests build the server and talk to it. Tests call `t.http()` (or
 * `t.http('analyst')`, `t.http('anonymous')`) instead of `request(app.getHttpServer())`, so the
 * credentials each role sends live here and nowhere else: when accounts and roles exist, this
 * file signs each role in and the tests stay as they are.
 */
export type TestRole = 'admin' | 'marketer' | 'analyst' | 'anonymous';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
export type TestAgent = Record<Method, (url: string) => request.Test>;

export interface TestApp {
  app: NestExpressApplication;
  /** A supertest client acting as `role` (default admin). */
  http(role?: TestRole): TestAgent;
  close(): Promise<void>;
}

export async function createTestApp(opts: AppOptions): Promise<TestApp> {
  const app = await createApp(opts);
  await app.init();
  const headersFor = (_role: TestRole): Record<string, string> => ({});
  return {
    app,
    http(role: TestRole = 'admin') {
      const server = app.getHttpServer();
      const headers = headersFor(role);
      const call = (m: Method) => (url: string) => request(server)[m](url).set(headers);
      return { get: call('get'), post: call('post'), put: call('put'), patch: call('patch'), delete: call('delete') };
    },
    close: () => app.close(),
  };
}
