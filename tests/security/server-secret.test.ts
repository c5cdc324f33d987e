import { chmodSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { loadServerSecret, secretFileFor } from '../../server/src/config/server-secret.js';
import { tempDir } from '../support/temp-dirs.js';

describe('the server secret', () => {
  it('is generated at first start, readable by its owner only, and the same on every later start', () => {
    const dir = tempDir('rekindle-secret-');
    const file = secretFileFor({ url: join(dir, 'shop.sqlite') }, {});
    expect(file).toBe(join(dir, 'rekindle.secret'));
    const first = loadServerSecret(file);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(file!).mode & 0o777).toBe(0o600);
    expect(loadServerSecret(file)).toBe(first);
    // A copy someone made readable to others is tightened again.
    chmodSync(file!, 0o644);
    expect(loadServerSecret(file)).toBe(first);
    expect(statSync(file!).mode & 0o777).toBe(0o600);
    expect(readFileSync(file!, 'utf8').trim()).toBe(first);
  });

  it('is named by REKINDLE_SECRET_FILE when set, so workers and the server share one', () => {
    expect(secretFileFor({ url: 'postgres://db/shop' }, { REKINDLE_SECRET_FILE: '/etc/rekindle/secret' })).toBe('/etc/rekindle/secret');
    expect(secretFileFor({ url: ':memory:' }, {})).toBeNull();
  });
});
