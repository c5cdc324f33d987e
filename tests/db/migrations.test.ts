import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';

describe.each(DIALECTS)('migrations on %s', (dialect) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(dialect);
  });
  afterAll(async () => db?.close());

  it('creates the foundation tables and leaves nothing pending', async () => {
    const runner = db.dataSource.createQueryRunner();
    for (const t of ['customers', 'orders', 'customer_events', 'customer_facts', 'flows', 'flow_versions', 'enrollments', 'journey_steps', 'sends', 'split_assignments']) expect(await runner.hasTable(t)).toBe(true);
    await runner.release();
    expect(await db.dataSource.showMigrations()).toBe(false);
  });
});
