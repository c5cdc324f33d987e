import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { cli } from '../support/cli.js';
import { tempDir } from '../support/temp-dirs.js';

/**
 * Walkthrough (developer in git): post-purchase-care published as v1, then a commit changed its
 * file. `rekindle flows list` still said "active v1", the API's flow list and the designer's
 * journeys home said nothing either, and the designer showed the committed file on the canvas as if
 * it ran: nothing told anyone the commit was not live. The list now says the file changed since
 * the live version (JSON `fileChanged`); comments and key order alone are no change.
 */
describe('rekindle flows list says when a flow file differs from its live version', () => {
  it('after a commit that is not published, and no longer once it is published', async () => {
    const dir = tempDir('rekindle-flows-list-changed-');
    const rules = join(dir, 'rules');
    cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });
    const db = join(dir, 'shop.sqlite');
    const flows = (...args: string[]) => cli(['--db', db, '--rules', rules, ...args]);
    const file = join(rules, 'flows', 'post-purchase-care.flow.yaml');
    expect((await flows('flows', 'publish', 'post-purchase-care')).code).toBe(0);

    // A comment alone (the parsed flow is the same) is not a change.
    writeFileSync(file, `${readFileSync(file, 'utf8')}# reviewed by the developer\n`);
    let list = await flows('flows', 'list');
    expect(list.stdout).toMatch(/^post-purchase-care\s+active\s+v1$/m);
    expect(JSON.parse((await flows('--json', 'flows', 'list')).stdout).find((r: { id: string }) => r.id === 'post-purchase-care').fileChanged).toBe(false);

    writeFileSync(file, readFileSync(file, 'utf8').replace('duration: 7d', 'duration: 6d'));
    list = await flows('flows', 'list');
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^post-purchase-care\s+active\s+v1 {2}file changed since v1, not published \(rekindle flows publish post-purchase-care\)$/m);
    const rows = JSON.parse((await flows('--json', 'flows', 'list')).stdout) as { id: string; fileChanged: boolean | null }[];
    expect(rows.find((r) => r.id === 'post-purchase-care')?.fileChanged).toBe(true);
    // A flow never published has nothing to differ from.
    expect(rows.find((r) => r.id === 'payment-reminder')?.fileChanged).toBeNull();

    expect((await flows('flows', 'publish', 'post-purchase-care')).code).toBe(0);
    expect((await flows('flows', 'list')).stdout).toMatch(/^post-purchase-care\s+active\s+v2$/m);
  });
});
