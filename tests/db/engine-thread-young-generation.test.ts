import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { STEPPING_NODE_FLAG, STEPPING_SEMI_SPACE_MB } from '../../server/src/runtime/young-generation.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';
import { idleEngineThread } from '../support/threads.js';

/**
 * Stepping keeps a batch's objects alive until it commits; with V8's default young generation
 * the scavenges copy them again and again (runtime/young-generation.ts). Every place that steps
 * journeys runs with the larger one.
 */
describe('code that steps journeys runs with a large young generation', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase('sqlite');
  });
  afterAll(async () => db?.close());

  it('the engine thread is started with three semi-spaces of 64 MB', async () => {
    const host = idleEngineThread(db.target);
    try {
      await host.ready;
      expect(host.resourceLimits?.maxYoungGenerationSizeMb).toBe(3 * STEPPING_SEMI_SPACE_MB);
    } finally {
      await host.close();
    }
  }, 60_000);

  it('npm run rekindle (worker, simulate) and the stepping benches pass the flag to node', () => {
    expect(STEPPING_NODE_FLAG).toBe(`--max-semi-space-size=${STEPPING_SEMI_SPACE_MB}`);
    const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;
    for (const name of ['rekindle', 'bench:engine', 'bench:double11']) expect(scripts[name]).toContain(`node ${STEPPING_NODE_FLAG} `);
    expect(readFileSync('bench/workers/run.ts', 'utf8')).toContain('STEPPING_NODE_FLAG');
  });
});
