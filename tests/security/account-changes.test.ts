/**
 * Changing an account (PATCH /api/users/:username, `rekindle users role|disable|enable`): only
 * admins; a disabled account signs in no more, its sessions and the API tokens it made stop at
 * once; a lower role counts from the next request; the last enabled admin is kept.
 */
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fixedClock } from '../../server/src/core/clock.js';
import { cli } from '../support/cli.js';
import { DIALECTS, freshTarget } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/http-app.js';
import { tempDir } from '../support/temp-dirs.js';

process.env.REKINDLE_QUIET = '1';
const NOW = Date.parse('2026-11-02T02:00:00Z');

describe.each(DIALECTS)('changing accounts on %s', (dialect) => {
  let api: TestApp;
  let drop: () => Promise<void>;
  let db: string;
  const rules = tempDir('rekindle-acct-rules-');
  cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });

  beforeAll(async () => {
    const t = await freshTarget(dialect, { migrated: true });
    drop = t.drop;
    db = t.target.url;
    api = await createTestApp({ database: t.target, rulesDir: rules, clock: fixedClock(NOW), schedulers: false });
    await api.http().post('/api/import/customers').set('Content-Type', 'text/csv').send('externalId,name\nac-1,One\n').expect(200);
  });
  afterAll(async () => {
    await api?.close();
    await drop?.();
  });

  const ev = (key: string) => ({ customerExternalId: 'ac-1', type: 'visit', properties: {}, occurredAt: new Date(NOW).toISOString(), idempotencyKey: key });
  async function signIn(username: string, password: string) {
    const ok = await api.http('anonymous').post('/api/auth/sign-in').send({ username, password }).expect(200);
    const cookie = ([] as string[]).concat(ok.headers['set-cookie']).map((c) => c.split(';')[0]).join('; ');
    return { Cookie: cookie, 'x-csrf-token': ok.body.csrfToken as string };
  }
  const audit = async (action: string, username: string) =>
    ((await api.http().get(`/api/audit?action=${action}&target=user:${username}`).expect(200)).body.entries as Array<{ actor: string; detail: Record<string, unknown> }>)[0];

  it('only admins may change an account: anonymous 401, analyst and marketer 403', async () => {
    await api.http('anonymous').patch('/api/users/analyst').send({ role: 'marketer' }).expect(401);
    expect((await api.http('analyst').patch('/api/users/analyst').send({ role: 'marketer' }).expect(403)).body.message).toMatch(/needs admin/);
    await api.http('marketer').patch('/api/users/analyst').send({ disabled: true }).expect(403);
    expect((await api.http().get('/api/users').expect(200)).body.users.find((u: { username: string }) => u.username === 'analyst')).toMatchObject({ role: 'analyst', disabled: false });
  });

  it('refuses a bad change naming the field, and an unknown account with 404', async () => {
    const role = await api.http().patch('/api/users/analyst').send({ role: 'owner' }).expect(400);
    expect(role.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(JSON.stringify(role.body.message)).toMatch(/role/);
    expect(JSON.stringify((await api.http().patch('/api/users/analyst').send({ disabled: 'yes' }).expect(400)).body.message)).toMatch(/disabled/);
    expect(JSON.stringify((await api.http().patch('/api/users/analyst').send({}).expect(400)).body.message)).toMatch(/give role, disabled or contactsGranted/);
    expect(JSON.stringify((await api.http().patch('/api/users/analyst').send({ password: 'x' }).expect(400)).body.message)).toMatch(/password/);
    const missing = await api.http().patch('/api/users/nobody.here').send({ disabled: true }).expect(404);
    expect(missing.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'no user "nobody.here"' });
  });

  it('a disabled account cannot sign in (told as a wrong password), its session ends at once and the tokens it made are revoked', async () => {
    const password = 'leave-admin-pass-1';
    await api.http().post('/api/users').send({ username: 'on.leave', role: 'admin', password }).expect(201);
    const session = await signIn('on.leave', password);
    const own = await api.http('anonymous').post('/api/tokens').set(session).send({ name: 'on.leave-admin', scopes: ['admin'] }).expect(201);
    const admin = { Authorization: `Bearer ${own.body.token as string}` };
    const fed = await api.http('anonymous').post('/api/tokens').set(admin).send({ name: 'on.leave-feed', scopes: ['events:write'] }).expect(201);
    const feed = { Authorization: `Bearer ${fed.body.token as string}` };
    // Each used once: the token cache and the events fast path know them.
    await api.http('anonymous').get('/api/users').set(admin).expect(200);
    await api.http('anonymous').post('/api/events').set(feed).send(ev('leave-1')).expect(200);

    const disabled = await api.http().patch('/api/users/on.leave').send({ disabled: true }).expect(200);
    expect(disabled.body).toMatchObject({ user: { username: 'on.leave', disabled: true }, revokedTokens: ['on.leave-admin', 'on.leave-feed'] });
    await api.http('anonymous').get('/api/users').set(session).expect(401);
    await api.http('anonymous').get('/api/users').set(admin).expect(401);
    await api.http('anonymous').post('/api/events').set(feed).send(ev('leave-2')).expect(401);
    // The right password gets the answer a wrong one gets; the admins read which it was.
    const refused = await api.http('anonymous').post('/api/auth/sign-in').send({ username: 'on.leave', password }).expect(401);
    const wrong = await api.http('anonymous').post('/api/auth/sign-in').send({ username: 'on.leave', password: 'not the password' }).expect(401);
    expect(refused.body).toEqual(wrong.body);
    expect(await audit('sign-in-disabled', 'on.leave')).toMatchObject({ actor: 'anonymous' });
    expect(await audit('user-disabled', 'on.leave')).toMatchObject({ actor: 'admin', detail: { revokedTokens: ['on.leave-admin', 'on.leave-feed'] } });

    // Enabled again: the person signs in; the revoked tokens stay revoked.
    expect((await api.http().patch('/api/users/on.leave').send({ disabled: false }).expect(200)).body).toMatchObject({ user: { disabled: false }, revokedTokens: [] });
    const back = await signIn('on.leave', password);
    await api.http('anonymous').get('/api/users').set(back).expect(200);
    await api.http('anonymous').get('/api/users').set(admin).expect(401);
    expect(await audit('user-enabled', 'on.leave')).toMatchObject({ actor: 'admin' });
    const listed = (await api.http().get('/api/users').expect(200)).body.users.find((u: { username: string }) => u.username === 'on.leave');
    expect(listed).toMatchObject({ disabled: false, disabledAt: null, lastSignInAt: expect.any(Number) });
    await api.http().delete('/api/users/on.leave').expect(200);
  });

  it('a lower role counts from the next request of an open session; a demoted admin keeps no admin token', async () => {
    const password = 'demoted-pass-1';
    await api.http().post('/api/users').send({ username: 'demoted', role: 'admin', password }).expect(201);
    const session = await signIn('demoted', password);
    const own = await api.http('anonymous').post('/api/tokens').set(session).send({ name: 'demoted-admin', scopes: ['admin'] }).expect(201);
    const feed = await api.http('anonymous').post('/api/tokens').set(session).send({ name: 'demoted-feed', scopes: ['events:write'] }).expect(201);
    await api.http('anonymous').get('/api/users').set(session).expect(200);

    const changed = await api.http().patch('/api/users/demoted').send({ role: 'marketer' }).expect(200);
    expect(changed.body).toMatchObject({ user: { role: 'marketer' }, revokedTokens: ['demoted-admin'] });
    // The same session, next request: a marketer.
    expect((await api.http('anonymous').get('/api/users').set(session).expect(403)).body.message).toMatch(/marketer.*needs admin/);
    expect((await api.http('anonymous').get('/api/auth/me').set(session).expect(200)).body.user.role).toBe('marketer');
    await api.http('anonymous').get('/api/users').set({ Authorization: `Bearer ${own.body.token as string}` }).expect(401);
    await api.http('anonymous').post('/api/events').set({ Authorization: `Bearer ${feed.body.token as string}` }).send(ev('demoted-1')).expect(200);
    expect(await audit('user-role-changed', 'demoted')).toMatchObject({ actor: 'admin', detail: { previousRole: 'admin', role: 'marketer', revokedTokens: ['demoted-admin'] } });

    // A grant for an analyst.
    await api.http().patch('/api/users/demoted').send({ role: 'analyst' }).expect(200);
    expect((await api.http('anonymous').get('/api/auth/me').set(session).expect(200)).body.user).toMatchObject({ role: 'analyst', contactsVisible: false });
    expect((await api.http().patch('/api/users/demoted').send({ contactsGranted: true }).expect(200)).body.user).toMatchObject({ contactsGranted: true, contactsVisible: true });
    expect((await api.http('anonymous').get('/api/auth/me').set(session).expect(200)).body.user.contactsVisible).toBe(true);
    expect(await audit('user-contacts-changed', 'demoted')).toMatchObject({ detail: { contactsGranted: true } });
    await api.http().delete('/api/users/demoted').expect(200);
  });

  it('refuses with 409 to disable, demote or remove the last enabled admin (a disabled admin does not count)', async () => {
    await api.http().post('/api/users').send({ username: 'spare.admin', role: 'admin', password: 'spare-admin-pass-1' }).expect(201);
    await api.http().patch('/api/users/spare.admin').send({ disabled: true }).expect(200);
    for (const [method, body, doing] of [
      ['patch', { disabled: true }, 'disabling'],
      ['patch', { role: 'marketer' }, 'demoting'],
      ['delete', undefined, 'removing'],
    ] as const) {
      const req = method === 'patch' ? api.http().patch('/api/users/admin').send(body) : api.http().delete('/api/users/admin');
      const res = await req.expect(409);
      expect(res.body).toEqual({ statusCode: 409, error: 'Conflict', message: `user "admin" is the last enabled admin: ${doing} it would leave no admin who can sign in; add or enable another admin first` });
    }
    await api.http().get('/api/users').expect(200);
    // With another enabled admin, each is allowed.
    await api.http().patch('/api/users/spare.admin').send({ disabled: false }).expect(200);
    await api.http().patch('/api/users/spare.admin').send({ role: 'marketer' }).expect(200);
    await api.http().delete('/api/users/spare.admin').expect(200);
  });

  it('`rekindle users role|disable|enable` change an account, audited as the command line, and keep the last admin', async () => {
    await api.http().post('/api/users').send({ username: 'cli.person', role: 'marketer', password: 'cli-person-pass-1' }).expect(201);
    const session = await signIn('cli.person', 'cli-person-pass-1');

    const role = await cli(['--db', db, 'users', 'role', 'cli.person', 'analyst']);
    expect({ code: role.code, out: role.stdout.trim() }).toEqual({ code: 0, out: 'cli.person is now analyst' });
    expect((await api.http('anonymous').get('/api/auth/me').set(session).expect(200)).body.user.role).toBe('analyst');
    const off = await cli(['--db', db, 'users', 'disable', 'cli.person']);
    expect(off.stdout.trim()).toBe('disabled cli.person; its sessions ended');
    await api.http('anonymous').get('/api/auth/me').set(session).expect(200, { user: null });
    expect((await cli(['--db', db, 'users', 'list'])).stdout).toMatch(/cli\.person\s+analyst\s+DISABLED contacts masked/);
    expect((await cli(['--db', db, 'users', 'enable', 'cli.person'])).stdout.trim()).toBe('enabled cli.person');
    await signIn('cli.person', 'cli-person-pass-1');
    const actors = await Promise.all(['user-role-changed', 'user-disabled', 'user-enabled'].map((a) => audit(a, 'cli.person')));
    for (const a of actors) expect(a.actor).toMatch(/^cli:/);

    const bad = await cli(['--db', db, 'users', 'role', 'cli.person', 'owner']);
    expect({ code: bad.code, err: bad.stderr }).toMatchObject({ code: 1, err: expect.stringMatching(/role: "owner" — expected admin, marketer or analyst/) });
    const missing = await cli(['--db', db, 'users', 'disable', 'nobody.here']);
    expect(missing.stderr).toMatch(/no user "nobody\.here"/);
    const last = await cli(['--db', db, 'users', 'disable', 'admin']);
    expect({ code: last.code, err: last.stderr }).toMatchObject({ code: 1, err: expect.stringMatching(/"admin" is the last enabled admin/) });
  });
});
