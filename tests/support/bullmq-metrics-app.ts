import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { VirtualClock } from '../../server/src/core/clock.js';
import { AccountStore } from '../../server/src/persistence/accounts.js';
import { freshTarget } from './databases.js';
import type { TestApp } from './http-app.js';
import { tempDir } from './temp-dirs.js';

export interface BullMqMetricsApp {
  api: TestApp;
  /** A `metrics:read` API token (what Prometheus scrapes with). */
  token: string;
  /** Closes the app, unsets the environment and drops the database. */
  close(): Promise<void>;
}

/**
 * A server on a fresh PostgreSQL database that hands stepping to BullMQ (REKINDLE_STEP_QUEUE=bullmq),
 * for the step queue's /metrics tests. The step-queue module reads its settings from the
 * environment when the app module loads, so `env` is set first and the app imported after it;
 * close() unsets it again.
 */
export async function bullMqMetricsApp(env: Record<string, string>, now: number): Promise<BullMqMetricsApp> {
  const rules = tempDir('rekindle-qmetrics-rules-');
  cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });
  const t = await freshTarget('postgres', { migrated: true });
  Object.assign(process.env, env);
  const { createTestApp } = await import('./http-app.js');
  const { loadSettings } = await import('../../server/src/config/settings.js');
  const api = await createTestApp({ database: t.target, rulesDir: rules, clock: new VirtualClock(now), schedulers: false, settings: loadSettings({ LOG_LEVEL: 'silent', ...env }) });
  const { token } = await new AccountStore(api.app.get(DataSource)).createToken('prometheus', ['metrics:read'], 'test');
  return {
    api,
    token,
    close: async () => {
      await api.close();
      for (const k of Object.keys(env)) delete process.env[k];
      await t.drop();
    },
  };
}
