/**
 * A password Rekindle generated and printed (the first start's admin, `rekindle users add` and
 * `users passwd` without --password-stdin, POST /api/users without a password) signs in only to be
 * replaced. It used to sign in for good: the printed line stays in a terminal's scroll-back or the
 * chat it was pasted into, and nothing asked anyone to change it. A chosen password, an API token
 * and a replaced password are not affected.
 */
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fixedClock } from '../../server/src/core/clock.js';
import { openDatabase } from '../../server/src/persistence/data-source.js';
import { AccountStore } from '../../server/src/persistence/accounts.js';
import { ensureFirstAdmin } from '../../server/src/startup/first-admin.js';
import { cli } from '../support/cli.js';
import { DIALECTS, freshTarget } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/http-app.js';
import { tempDir } from '../support/temp-dirs.js';

process.env.REKINDLE_QUIET = '1';
const NOW = Date.parse('2026-11-02T02:00:00Z');

describe.each(DIALECTS)('one-time passwords on %s', (dialect) => {
  let api: TestApp;
  let drop: () => Promise<void>;
  let db: string;
  const rules = tempDir('rekindle-one-time-rules-');
  cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });

  beforeAll(async () => {
    const t = await freshTarget(dialect, { migrated: true });
    drop = t.drop;
    db = t.target.url;
    api = await createTestApp({ database: t.target, rulesDir: rules, clock: fixedClock(NOW), schedulers: false });
  });
  afterAll(async () => {
    await api?.close();
    await drop?.();
  });

  async function signIn(username: string, password: string) {
    const ok = await api.http('anonymous').post('/api/auth/sign-in').send({ username, password }).expect(200);
    const cookie = ([] as string[]).concat(ok.headers['set-cookie']).map((c) => c.split(';')[0]).join('; ');
    return { body: ok.body, cookie, csrf: ok.body.csrfToken as string };
  }

  it('a password printed by `rekindle users add` signs in only to be replaced; then the chosen one signs in for everything', async () => {
    const add = await cli(['--db', db, '--json', 'users', 'add', 'wang.fang', '--role', 'marketer']);
    expect(add.code).toBe(0);
    const { password } = JSON.parse(add.stdout);
    const s = await signIn('wang.fang', password);
    expect(s.body.user).toMatchObject({ username: 'wang.fang', role: 'marketer', mustChangePassword: true });
    expect((await api.http('anonymous').get('/api/auth/me').set('Cookie', s.cookie).expect(200)).body.user.mustChangePassword).toBe(true);
    // Reads and changes alike, with the right CSRF token: refused in words, naming the way out.
    const read = await api.http('anonymous').get('/api/flows').set('Cookie', s.cookie).expect(403);
    // With statusCode and error, as every error answer (it came with code and message alone).
    expect(read.body).toMatchObject({ statusCode: 403, error: 'Forbidden', code: 'password-change-required' });
    expect(read.body.message).toBe('wang.fang signed in with a one-time password: set your own first (POST /api/auth/password; the designer asks for it), then sign in again');
    await api.http('anonymous').post('/api/flows/validate').set('Cookie', s.cookie).set('x-csrf-token', s.csrf).send({ flow: { id: 'x', nodes: [] } }).expect(403);

    await api.http('anonymous').post('/api/auth/password').set('Cookie', s.cookie).set('x-csrf-token', s.csrf).send({ current: password, password: 'wang-fang-chosen-1' }).expect(200);
    const again = await signIn('wang.fang', 'wang-fang-chosen-1');
    expect(again.body.user.mustChangePassword).toBeUndefined();
    await api.http('anonymous').get('/api/flows').set('Cookie', again.cookie).expect(200);
    await api.http('anonymous').post('/api/auth/sign-out').set('Cookie', again.cookie).set('x-csrf-token', again.csrf).expect(200);

    // `users passwd` prints a new one-time password: the same again.
    const reset = await cli(['--db', db, '--json', 'users', 'passwd', 'wang.fang']);
    expect(reset.code).toBe(0);
    const third = await signIn('wang.fang', JSON.parse(reset.stdout).password);
    expect(third.body.user.mustChangePassword).toBe(true);
    await api.http('anonymous').get('/api/flows').set('Cookie', third.cookie).expect(403);
    // Signing out is allowed (the designer's only other button).
    await api.http('anonymous').post('/api/auth/sign-out').set('Cookie', third.cookie).set('x-csrf-token', third.csrf).expect(200);
  }, 60_000);

  it('an admin who creates an account in the API: a generated password is one-time, a chosen one is not', async () => {
    const generated = await api.http().post('/api/users').send({ username: 'gen.one', role: 'analyst' }).expect(201);
    const g = await signIn('gen.one', generated.body.password);
    expect(g.body.user.mustChangePassword).toBe(true);
    await api.http('anonymous').get('/api/customers').set('Cookie', g.cookie).expect(403);

    await api.http().post('/api/users').send({ username: 'chosen.one', role: 'analyst', password: 'chosen-by-admin-1' }).expect(201);
    const c = await signIn('chosen.one', 'chosen-by-admin-1');
    expect(c.body.user.mustChangePassword).toBeUndefined();
    await api.http('anonymous').get('/api/customers').set('Cookie', c.cookie).expect(200);
  }, 60_000);

  it('a one-time password cannot be "changed" to itself (it stays one-time), nor any password to itself', async () => {
    const add = await cli(['--db', db, '--json', 'users', 'add', 'same.again', '--role', 'admin']);
    const { password } = JSON.parse(add.stdout);
    const s = await signIn('same.again', password);
    const same = await api.http('anonymous').post('/api/auth/password').set('Cookie', s.cookie).set('x-csrf-token', s.csrf).send({ current: password, password }).expect(400);
    expect(same.body.message).toBe('password: the new password must differ from the current one');
    expect(same.body.changed).toBeUndefined();
    // Still one-time: it signs in only to be replaced.
    const again = await signIn('same.again', password);
    expect(again.body.user.mustChangePassword).toBe(true);
    await api.http('anonymous').get('/api/flows').set('Cookie', again.cookie).expect(403);

    // A chosen password, too.
    await api.http('anonymous').post('/api/auth/password').set('Cookie', again.cookie).set('x-csrf-token', again.csrf).send({ current: password, password: 'same-again-chosen-1' }).expect(200);
    const chosen = await signIn('same.again', 'same-again-chosen-1');
    const twice = await api.http('anonymous').post('/api/auth/password').set('Cookie', chosen.cookie).set('x-csrf-token', chosen.csrf).send({ current: 'same-again-chosen-1', password: 'same-again-chosen-1' }).expect(400);
    expect(twice.body.message).toBe('password: the new password must differ from the current one');
    // The refused change ended no session.
    await api.http('anonymous').get('/api/flows').set('Cookie', chosen.cookie).expect(200);
  }, 60_000);

  it('the first start\'s admin password is one-time', async () => {
    const fresh = await freshTarget(dialect);
    try {
      const first = await ensureFirstAdmin(fresh.target, () => {});
      const ds = await openDatabase(fresh.target);
      try {
        expect(await new AccountStore(ds).verify('admin', first.password!)).toMatchObject({ username: 'admin', oneTimePassword: true });
      } finally {
        await ds.destroy();
      }
    } finally {
      await fresh.drop();
    }
  }, 60_000);
});
