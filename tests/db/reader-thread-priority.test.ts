import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SqlReaderThread } from '../../server/src/runtime/sql-reader.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';
import { niceByThread } from '../support/threads.js';

// Worker threads run compiled JavaScript: the reader thread's entry from dist/ (npm test builds it first).
const READER_ENTRY = new URL('../../dist/server/src/runtime/sql-reader-thread.js', import.meta.url);

const linux = process.platform === 'linux';

describe('the SQL reader thread yields the CPU to the request thread', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase('sqlite');
  });
  afterAll(async () => db?.close());

  (linux ? it : it.skip)('runs at a nice value 10 above the process, which keeps its own', async () => {
    expect(existsSync(fileURLToPath(READER_ENTRY))).toBe(true);
    const before = niceByThread();
    const main = before.get(process.pid)!;
    const reader = new SqlReaderThread(db.target.url, READER_ENTRY);
    try {
      expect(await reader.all('SELECT 1 AS one', [])).toEqual([{ one: 1 }]);
      const after = niceByThread();
      expect(after.get(process.pid)).toBe(main);
      const lowered = [...after].filter(([tid, nice]) => !before.has(tid) && nice === Math.min(19, main + 10));
      expect(lowered.length).toBe(1);
    } finally {
      await reader.close();
    }
  });
});
