import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { cli } from '../support/cli.js';
import { tempDir } from '../support/temp-dirs.js';

/**
 * `segment` and `analyse` read the shop as of one instant — the clock's now, or --at — and count
 * only the orders up to it, saying which instant that was. A shop whose orders reach past this
 * machine's clock (a simulated database, here a demo shop seeded for 2030) is not read with its
 * later orders counted: without --at the facts were today's stored rows, every order included.
 */
describe('segment and analyse read the shop as of one instant and say which', () => {
  const dir = tempDir('rekindle-read-instant-');
  const db = join(dir, 'shop.sqlite');
  const SEEDED = '2030-01-10T12:00:00+08:00';

  it('seeds a shop whose orders reach 2030', async () => {
    expect((await cli(['--db', db, 'seed', '--customers', '400', '--seed', '3', '--now', SEEDED, '--json'])).code).toBe(0);
  });

  it('segment without --at reads as of now: the orders after it are left out and the text says how far the shop reaches', async () => {
    const r = await cli(['--db', db, '--json', 'segment', 'd11-audience']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ readAs: 'now', evaluator: 'engine' });
    expect(out.ordersAfterAt).toBeGreaterThan(0);
    expect(out.newestOrderAt).toMatch(/^2030-01-10T/);
    // The same shop as of its own today counts every order, from the stored facts.
    const then = JSON.parse((await cli(['--db', db, '--json', 'segment', 'd11-audience', '--at', SEEDED])).stdout);
    expect(then).toMatchObject({ readAs: '--at', evaluator: 'sql', newestOrderAt: null });
    expect(then.ordersAfterAt).toBeUndefined();
    expect(then.count).toBeGreaterThan(out.count);
    const text = (await cli(['--db', db, 'segment', 'd11-audience', '--sample', '0'])).stdout;
    expect(text).toMatch(/^d11-audience: \d+ customers at \S+ \(now; engine, /);
    expect(text).toMatch(/\d+ later orders left out/);
    expect(text).toMatch(/the shop's orders reach 2030-01-10T\S+ .*give --at to read it as of a later instant/);
  });

  it('analyse says the instant it read as and the orders after it left out', async () => {
    const now = JSON.parse((await cli(['--db', db, '--json', 'analyse'])).stdout);
    expect(now.readAs).toBe('now');
    expect(now.ordersAfterAt).toBeGreaterThan(0);
    expect(now.newestOrderAt).toMatch(/^2030-01-10T/);
    const text = (await cli(['--db', db, 'analyse'])).stdout;
    expect(text.split('\n')[0]).toMatch(/^read as of now, \S+: \d+ orders after it left out; the shop's orders reach 2030-01-10T/);
    const at = (await cli(['--db', db, 'analyse', '--at', SEEDED])).stdout;
    expect(at.split('\n')[0]).toBe('read as of --at 2030-01-10T12:00:00+08:00: every order in the shop');
  });

  it('export customers as of now leaves out the orders after it, as segment does (lastOrderAt, recency of then)', async () => {
    const now = (await cli(['--db', db, 'export', 'customers'])).stdout;
    const at = (await cli(['--db', db, 'export', 'customers', '--at', SEEDED])).stdout;
    const col = (csv: string, name: string) => {
      const [head, ...lines] = csv.trim().split('\n');
      const i = head.split(',').indexOf(name);
      return lines.map((l) => l.split(',')[i]);
    };
    expect(col(at, 'lastOrderAt').some((v) => v.startsWith('2030-'))).toBe(true);
    expect(col(now, 'lastOrderAt').some((v) => v.startsWith('2030-'))).toBe(false);
  });
});
