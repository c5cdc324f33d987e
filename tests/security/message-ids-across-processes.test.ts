import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CHANNEL_PROVIDERS } from '../../server/src/api/channels/channels.tokens.js';
import type { OutboundMessage } from '../../server/src/core/channels/provider.js';
import type { ChannelProviders } from '../../server/src/core/channels/registry.js';
import { fixedClock } from '../../server/src/core/clock.js';
import { openWorkspace } from '../../server/src/config/workspace.js';
import { openDatabase } from '../../server/src/persistence/data-source.js';
import { createChannelRuntime, shopSecret } from '../../server/src/runtime/channel-runtime.js';
import { freshTarget } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/http-app.js';
import { tempDir } from '../support/temp-dirs.js';

process.env.REKINDLE_QUIET = '1';

const message = (idempotencyKey: string): OutboundMessage => ({
  sendId: 1,
  idempotencyKey,
  channel: 'email',
  category: 'marketing',
  to: 'li.na@example.com',
  customerExternalId: 'C-1',
  subject: 'Hello',
  body: 'Hello',
  trackedLink: null,
  couponCode: null,
  flowId: 'payment-reminder',
  nodeId: 'remind',
  attempt: 1,
});

/**
 * Provider message ids are an HMAC under the shop's server secret. The server and any other
 * process that builds providers (a worker, a scheduler, a CLI command that dispatches) go through
 * runtime/channel-runtime.ts and read the same secret file, so they derive the same id for the
 * same send — not one per process.
 */
describe('provider message ids across processes', () => {
  const dir = tempDir('rekindle-msgid-');
  const secretFile = join(dir, 'shop.secret');
  let server: TestApp;
  let drop: () => Promise<void>;
  let target: Awaited<ReturnType<typeof freshTarget>>['target'];

  beforeAll(async () => {
    const t = await freshTarget('sqlite');
    drop = t.drop;
    target = t.target;
    // The server creates the secret file at first start.
    server = await createTestApp({ database: target, rulesDir: 'rules', clock: fixedClock(Date.parse('2026-11-02T02:00:00Z')), schedulers: false, secretFile });
  });
  afterAll(async () => {
    await server?.close();
    await drop?.();
  });

  /** A second build of the delivery side, as another process makes it: the file named by REKINDLE_SECRET_FILE. */
  async function otherProcess(env: NodeJS.ProcessEnv) {
    const ds = await openDatabase(target);
    const rt = createChannelRuntime(ds, openWorkspace('rules'), fixedClock(0), { secret: shopSecret({ database: target }, env) });
    return { rt, close: async () => (await rt.close(), await ds.destroy()) };
  }

  it('the server and another process that reads the same secret file derive the same id, and it is the HMAC under that file', async () => {
    const key = '4711:remind:1';
    const fromServer = (await server.app.get<ChannelProviders>(CHANNEL_PROVIDERS).email.deliver(message(key))).providerMessageId;
    const worker = await otherProcess({ REKINDLE_SECRET_FILE: secretFile });
    try {
      const fromWorker = (await worker.rt.providers.email.deliver(message(key))).providerMessageId;
      expect(fromWorker).toBe(fromServer);
      // Computed here from the file alone: what any fresh process reading it gets (no per-process key).
      const secret = readFileSync(secretFile, 'utf8').trim();
      expect(fromServer).toBe(`outbox:${createHmac('sha256', secret).update(`message:${key}`).digest('hex').slice(0, 32)}`);
      // Stable across attempts, different per send, and nothing of the key shows.
      expect((await worker.rt.providers.email.deliver({ ...message(key), attempt: 2 })).providerMessageId).toBe(fromWorker);
      expect((await worker.rt.providers.email.deliver(message('4712:remind:1'))).providerMessageId).not.toBe(fromWorker);
      expect(fromWorker).not.toContain('4711');
    } finally {
      await worker.close();
    }
  });

  it('a process given another secret file derives other ids (the secret, not the code, decides)', async () => {
    const stranger = await otherProcess({ REKINDLE_SECRET_FILE: join(dir, 'other.secret') });
    try {
      const key = '4711:remind:1';
      const fromServer = (await server.app.get<ChannelProviders>(CHANNEL_PROVIDERS).email.deliver(message(key))).providerMessageId;
      expect((await stranger.rt.providers.email.deliver(message(key))).providerMessageId).not.toBe(fromServer);
    } finally {
      await stranger.close();
    }
  });
});
