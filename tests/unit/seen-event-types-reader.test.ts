import { describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { RECENT_EVENTS_READ, seenEventTypes } from '../../server/src/persistence/event-types.js';
import type { SqlReader } from '../../server/src/persistence/segment-store.js';

/**
 * The intake view (GET /api/events/intake) reads the event types of the newest 50,000 events:
 * with an available SQL reader thread that read runs there, never on the request thread's
 * connection (where it held every request ~50 ms a poll); without one, on the connection as before.
 */
describe('seenEventTypes', () => {
  const connection = (calls: string[]) => ({ query: async (sql: string) => (calls.push(sql), [{ type: 'order_created' }]) }) as unknown as DataSource;
  const reader = (available: boolean, calls: string[]): SqlReader => ({ available, all: async (sql: string) => (calls.push(sql), [{ type: 'order_paid' }, { type: 'visit' }]) });

  it('reads in the SQL reader thread when one is available, the connection untouched', async () => {
    const onConnection: string[] = [];
    const onReader: string[] = [];
    expect(await seenEventTypes(connection(onConnection), reader(true, onReader))).toEqual(['order_paid', 'visit']);
    expect(onConnection).toEqual([]);
    expect(onReader).toHaveLength(1);
    expect(onReader[0]).toContain(`LIMIT ${RECENT_EVENTS_READ}`);
  });

  it('reads on the connection without a reader, or when the reader is gone', async () => {
    for (const r of [null, reader(false, [])]) {
      const onConnection: string[] = [];
      expect(await seenEventTypes(connection(onConnection), r)).toEqual(['order_created']);
      expect(onConnection).toHaveLength(1);
    }
  });
});
