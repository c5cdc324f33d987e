import { cpSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { openDatabase } from '../../server/src/persistence/data-source.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { cli } from '../support/cli.js';
import { tempDir } from '../support/temp-dirs.js';

const dir = tempDir('rekindle-prune-');
const rules = join(dir, 'rules');
const db = join(dir, 'shop.sqlite');

/** Rows of each pruned table, and the newest event's key (what a prune could change). */
async function tables(): Promise<{ events: number; consumed: number; keys: string[] }> {
  const ds = await openDatabase({ url: db });
  try {
    const n = async (sql: string) => Number((await queryRows(ds, sql))[0].n);
    return {
      events: await n('SELECT COUNT(*) AS n FROM customer_events'),
      consumed: await n('SELECT COUNT(*) AS n FROM consumed_events'),
      keys: (await queryRows(ds, 'SELECT idempotency_key FROM customer_events ORDER BY id')).map((r) => String(r.idempotency_key)),
    };
  } finally {
    await ds.destroy();
  }
}

describe('rekindle prune', () => {
  beforeAll(async () => {
    cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });
    expect((await cli(['--db', db, '--json', 'seed', '--customers', '200', '--seed', '3', '--now', '2026-11-20T00:00:00Z'])).code).toBe(0);
  });

  afterEach(() => {
    delete process.env.REKINDLE_EVENT_RETENTION_DAYS;
  });

  it('--dry-run says what would go, per table and with the cut-off on the shop clock, and changes nothing; then prunes exactly that', async () => {
    const before = await tables();
    expect(before.events).toBeGreaterThan(0);
    const mtime = statSync(db).mtimeMs;
    const dry = await cli(['--db', db, '--rules', rules, 'prune', '--dry-run', '--events-days', '30', '--at', '2027-06-01']);
    expect(dry.stderr).toBe('');
    expect(dry.code).toBe(0);
    // rules/policy.yaml gives up after unanswered touches within 60d: the answers of those 60 days stay.
    const would = /customer_events: (\d+) to delete \(received and happened before 2027-04-02 00:00 \+08:00\); consumed_events: 0 to delete \(those of the pruned events\); events are kept from 2027-04-02 00:00 \+08:00, not 2027-05-02 00:00 \+08:00: rules\/policy.yaml giveUp.within 60d/.exec(dry.stdout);
    expect(dry.stdout).toMatch(/^dry run, nothing deleted: /);
    expect(would).not.toBeNull();
    const n = Number(would![1]);
    expect(n).toBeGreaterThan(0);
    expect(await tables()).toEqual(before);
    expect(statSync(db).mtimeMs).toBe(mtime);
    expect(JSON.parse((await cli(['--db', db, '--json', 'audit', '--action', 'events-pruned'])).stdout)).toEqual([]);

    const json = JSON.parse((await cli(['--db', db, '--rules', rules, '--json', 'prune', '--dry-run', '--events-days', '30', '--at', '2027-06-01'])).stdout);
    expect(json).toMatchObject({ dryRun: true, eventsBefore: '2027-04-01T16:00:00.000Z', configuredEventsBefore: '2027-05-01T16:00:00.000Z', deleted: null, wouldDelete: { customer_events: n } });

    // The setting instead of the flag: the same plan.
    process.env.REKINDLE_EVENT_RETENTION_DAYS = '30';
    const done = await cli(['--db', db, '--rules', rules, '--json', 'prune', '--at', '2027-06-01']);
    expect(done.code).toBe(0);
    expect(JSON.parse(done.stdout)).toMatchObject({ dryRun: false, deleted: { customer_events: n } });
    const after = await tables();
    expect(after.events).toBe(before.events - n);
    // The audit log names who pruned, the cut-off and how many rows went.
    const audited = JSON.parse((await cli(['--db', db, '--json', 'audit', '--action', 'events-pruned'])).stdout);
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({ action: 'events-pruned', target: 'retention:events', detail: { eventDays: 30, eventsBefore: Date.parse('2027-04-01T16:00:00.000Z'), consumedBefore: null, events: n, consumedEvents: 0 } });
    expect(audited[0].actor).toMatch(/^cli/);
    // What stays are opt-outs, which the policy reads back however old.
    const ds = await openDatabase({ url: db });
    try {
      expect((await queryRows(ds, "SELECT DISTINCT type FROM customer_events")).map((r) => String(r.type)).filter((t) => t !== 'unsubscribe')).toEqual([]);
    } finally {
      await ds.destroy();
    }
  });

  it('refuses a retention shorter than the idempotency window, naming the flag or the setting', async () => {
    const r = await cli(['--db', db, '--rules', rules, 'prune', '--events-days', '7']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: --events-days: expected at least 30 days: an event's idempotency key is remembered only as long as the event is kept/);
    process.env.REKINDLE_EVENT_RETENTION_DAYS = 'a month';
    const s = await cli(['--db', db, '--rules', rules, 'prune', '--dry-run']);
    expect(s.code).toBe(1);
    expect(s.stderr).toMatch(/REKINDLE_EVENT_RETENTION_DAYS: expected a whole number of days \(got "a month"\)/);
    expect(s.stderr).not.toMatch(/\n\s+at /);
  });

  it('says there is nothing to prune when no retention is set', async () => {
    const r = await cli(['--db', db, '--rules', rules, 'prune', '--dry-run']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/nothing to prune: no retention is set/);
  });
});
