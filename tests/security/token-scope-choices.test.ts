import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ROLES, SCOPES } from '../../server/src/core/access/roles.js';
import { cli } from '../support/cli.js';
import { freshTarget } from '../support/databases.js';

process.env.REKINDLE_QUIET = '1';

/**
 * `users token --scopes` named metrics:read in its help but left it out of the refusal of an
 * unknown scope: both now print the one list of roles.ts, so every role and scope is in each.
 */
describe('users token: the help and the refusal name the same scopes', () => {
  let db: string;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const t = await freshTarget('sqlite');
    db = t.target.url;
    drop = t.drop;
  });
  afterAll(async () => drop?.());

  it('names every role and every scope in --help and when a scope is unknown', async () => {
    const refused = await cli(['--db', db, 'users', 'token', 'x', '--scopes', 'read']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/scopes: "read" is not a role/);
    const help = await cli(['users', 'token', '--help']);
    const helpText = help.stdout.replace(/\s+/g, ' ');
    for (const name of [...ROLES, ...Object.keys(SCOPES)]) {
      expect(refused.stderr).toContain(name);
      expect(helpText).toContain(name);
    }
    // The same words in both, not two lists that happen to agree today.
    const listed = (text: string) => text.match(/a role \([^)]*\) or a scope \([^)]*\)/)?.[0];
    expect(listed(helpText)).toBeDefined();
    expect(listed(refused.stderr)).toBe(listed(helpText));
  });
});
