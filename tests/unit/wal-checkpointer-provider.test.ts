import { describe, expect, it } from '@jest/globals';
import { writersCheckpointAgain } from '../../server/src/api/journeys/wal-checkpointer.provider.js';
import { DEFAULT_WAL_AUTOCHECKPOINT } from '../../server/src/persistence/data-source.js';

/**
 * When the WAL checkpointer thread stops, both writers' connections checkpoint their own commits
 * again: the engine thread's too, whose backstop (WAL_BACKSTOP_PAGES) alone would let the WAL reach 1 GB.
 */
describe('writersCheckpointAgain', () => {
  function fakes(usable: boolean) {
    const requestSql: string[] = [];
    const enginePages: number[] = [];
    const ds = { query: async (sql: string) => void requestSql.push(sql) };
    const engine = { usable, setWalAutocheckpoint: async (pages: number) => (enginePages.push(pages), pages) };
    return { requestSql, enginePages, ds, engine };
  }

  it('sets the request connection and the engine thread’s back to the default', async () => {
    const f = fakes(true);
    await writersCheckpointAgain(f.ds as never, f.engine);
    expect(f.requestSql).toEqual([`PRAGMA wal_autocheckpoint = ${DEFAULT_WAL_AUTOCHECKPOINT}`]);
    expect(f.enginePages).toEqual([DEFAULT_WAL_AUTOCHECKPOINT]);
  });

  it('asks nothing of an engine thread that is gone, and a failing one does not fail it', async () => {
    const f = fakes(false);
    await writersCheckpointAgain(f.ds as never, f.engine);
    expect(f.enginePages).toEqual([]);
    const failing = { usable: true, setWalAutocheckpoint: () => Promise.reject(new Error('engine thread exited')) };
    await expect(writersCheckpointAgain(f.ds as never, failing)).resolves.toBeUndefined();
  });
});
