/**
 * Kill the engine at an arbitrary moment (SIGKILL, no clean-up) and start it again: no step may
 * run twice, none may be lost, and no customer may get the same message twice.
 * Runs the built CLI (`npm test` builds it first) in a child process so the kill is real.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { generateDemoShop } from '../../server/src/core/seed/generate-shop.js';
import { bulkWriteShop } from '../../server/src/persistence/bulk-writer.js';
import { openDatabase } from '../../server/src/persistence/data-source.js';
import { cli } from '../support/cli.js';
import { tempDir } from '../support/temp-dirs.js';

const dir = tempDir('rekindle-kill-');
const shop = join(dir, 'shop.sqlite');
const rules = join(dir, 'rules');
const CUSTOMERS = 20_000;
const FROM = '2026-11-02T00:00:00+08:00';

const FLOW = `id: kill-test
name: Kill test
nodes:
  - id: start
    type: entry
    trigger:
      type: audience
      segment: everyone
      startAt: '2026-11-02T09:00:00+08:00'
    next: first
  - id: first
    type: send
    channel: push
    category: care
    template: first {{customer.name}}
    next: pause
  - id: pause
    type: wait
    duration: 1d
    next: second
  - id: second
    type: send
    channel: push
    category: care
    template: second {{customer.name}}
    next: done
  - id: done
    type: exit
`;

function count(sql: string): number {
  const db = new Database(shop, { readonly: true, fileMustExist: true });
  try {
    return Number((db.prepare(sql).get() as { n: number }).n);
  } catch {
    return 0; // tables not there yet
  } finally {
    db.close();
  }
}

describe('kill -9 in the middle of a run, then restart', () => {
  beforeAll(async () => {
    mkdirSync(join(rules, 'segments'), { recursive: true });
    mkdirSync(join(rules, 'flows'), { recursive: true });
    cpSync(join(process.cwd(), 'rules', 'shop.yaml'), join(rules, 'shop.yaml'));
    writeFileSync(join(rules, 'segments', 'everyone.yaml'), 'name: everyone\nconditions:\n  all:\n    - fact: orderCount\n      operator: greaterThanInclusive\n      value: 0\n');
    writeFileSync(join(rules, 'flows', 'kill-test.flow.yaml'), FLOW);
    const ds = await openDatabase({ url: shop });
    await bulkWriteShop(ds, generateDemoShop({ customers: CUSTOMERS, seed: 3, now: Date.parse(FROM), timezone: 'Asia/Shanghai' }), { timezone: 'Asia/Shanghai', now: Date.parse(FROM) });
    await ds.destroy();
  });

  it('finishes every journey exactly once after a SIGKILL mid-stepping', async () => {
    const args = ['bin/rekindle.js', '--db', shop, '--rules', rules, 'simulate', 'kill-test', '--from', FROM, '--days', '2', '--step', '1h'];
    const child = spawn(process.execPath, args, { stdio: 'ignore' });
    // Kill once the first wave is partly written, i.e. in the middle of stepping.
    const killedAt = await new Promise<number>((resolve, reject) => {
      const started = Date.now();
      const poll = setInterval(() => {
        const n = count("SELECT COUNT(*) AS n FROM sends WHERE node_id = 'first'");
        if (n > 0 && n < CUSTOMERS) {
          child.kill('SIGKILL');
          clearInterval(poll);
          resolve(n);
        } else if (n >= CUSTOMERS || Date.now() - started > 60_000) {
          child.kill('SIGKILL');
          clearInterval(poll);
          reject(new Error(`could not catch the run mid-way (first-wave sends: ${n})`));
        }
      }, 5);
    });
    await new Promise((r) => child.once('exit', r));
    expect(killedAt).toBeGreaterThan(0);
    expect(killedAt).toBeLessThan(CUSTOMERS);

    // Restart: the same simulation again, in-process this time, to completion.
    const again = await cli(['--db', shop, '--rules', rules, '--json', 'simulate', 'kill-test', '--from', FROM, '--days', '2', '--step', '1h']);
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);

    expect(count("SELECT COUNT(*) AS n FROM enrollments WHERE flow_id = 'kill-test'")).toBe(CUSTOMERS);
    expect(count("SELECT COUNT(*) AS n FROM enrollments WHERE flow_id = 'kill-test' AND status = 'exited' AND exit_reason = 'exit:done'")).toBe(CUSTOMERS);
    expect(count("SELECT COUNT(*) AS n FROM sends WHERE node_id = 'first'")).toBe(CUSTOMERS);
    expect(count("SELECT COUNT(*) AS n FROM sends WHERE node_id = 'second'")).toBe(CUSTOMERS);
    expect(count('SELECT COUNT(*) AS n FROM (SELECT customer_id, node_id FROM sends GROUP BY customer_id, node_id HAVING COUNT(*) > 1)')).toBe(0);
    // Each journey logged each step once: entered, first, waited, second, exit.
    expect(count("SELECT COUNT(*) AS n FROM (SELECT enrollment_id, node_id, outcome FROM journey_steps WHERE flow_id = 'kill-test' GROUP BY enrollment_id, node_id, outcome HAVING COUNT(*) > 1)")).toBe(0);
    expect(count("SELECT COUNT(*) AS n FROM journey_steps WHERE flow_id = 'kill-test'")).toBe(CUSTOMERS * 5);
  });
});
