/**
 * The server's start-up line with REKINDLE_STEP_QUEUE=bullmq names its shop and the queue it plans
 * onto, as `rekindle worker` and `rekindle scheduler` name theirs when they start. It named only
 * the database, so a worker on another prefix (waiting for jobs that never come) or on another
 * database looked the same in the logs as a right one.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openDatabase } from '../../server/src/persistence/data-source.js';
import { shopIdOf } from '../../server/src/persistence/shop-identity.js';
import { freshTarget } from '../support/databases.js';
import { startUpLines } from '../support/server-process.js';

describe("the server's start-up line with workers", () => {
  let url = '';
  let shop = '';
  let drop: () => Promise<void> = async () => undefined;

  beforeAll(async () => {
    const t = await freshTarget('postgres', { migrated: true });
    drop = t.drop;
    url = t.target.url;
    const ds = await openDatabase(t.target);
    shop = await shopIdOf(ds);
    await ds.destroy();
  }, 60_000);
  afterAll(async () => drop());

  it('names the shop and the queue, prefix and Redis it plans onto', async () => {
    const prefix = `rekindle-test-start-line-${process.pid}`;
    const { out } = await startUpLines({ DATABASE_URL: url, REKINDLE_STEP_QUEUE: 'bullmq', REKINDLE_QUEUE_PREFIX: prefix, REDIS_URL: 'redis://:pw@127.0.0.1:6379' });
    expect(out).toContain(`; shop ${shop.slice(0, 8)}, stepping by workers on queue ${prefix}:rekindle-steps (Redis redis://127.0.0.1:6379))`);
    expect(out).not.toContain(':pw@');
  }, 90_000);
});
