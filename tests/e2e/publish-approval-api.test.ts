import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { VirtualClock } from '../../server/src/core/clock.js';
import { cli } from '../support/cli.js';
import { DIALECTS, freshTarget } from '../support/databases.js';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../support/http-app.js';
import { tempDir } from '../support/temp-dirs.js';

process.env.REKINDLE_QUIET = '1';
const NOW = Date.parse('2026-11-02T02:00:00Z');
const FLOW = 'payment-reminder';

/**
 * Publish approval (rules/shop.yaml `approval: {publish: true}`): a marketer's publish becomes a
 * request; nothing is written or goes live until an admin other than the one who asked approves it,
 * and then exactly what was asked goes live.
 */
describe.each(DIALECTS)('publish approval on %s', (dialect) => {
  let api: TestApp;
  let drop: () => Promise<void>;
  let db: string;
  let admin2: Record<string, string>;
  const rules = tempDir('rekindle-approval-rules-');
  cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });
  writeFileSync(join(rules, 'shop.yaml'), `${readFileSync(join(rules, 'shop.yaml'), 'utf8')}\napproval:\n  publish: true\n`);
  const flowFile = join(rules, 'flows', `${FLOW}.flow.yaml`);

  beforeAll(async () => {
    const t = await freshTarget(dialect, { migrated: true });
    drop = t.drop;
    db = t.target.url;
    api = await createTestApp({ database: t.target, rulesDir: rules, clock: new VirtualClock(NOW), schedulers: false });
    await api.accounts.add('chen.admin', 'admin', TEST_PASSWORD);
    const res = await api.http('anonymous').post('/api/auth/sign-in').send({ username: 'chen.admin', password: TEST_PASSWORD }).expect(200);
    admin2 = { Cookie: ([] as string[]).concat(res.headers['set-cookie']).map((c) => c.split(';')[0]).join('; '), 'x-csrf-token': res.body.csrfToken };
  });
  afterAll(async () => {
    await api?.close();
    await drop?.();
  });

  const live = async () => ((await api.http('analyst').get('/api/flows').expect(200)).body as { id: string; currentVersion: number | null; status: string }[]).find((f) => f.id === FLOW)!;
  const drawn = async (name: string) => {
    const file = (await api.http('marketer').get(`/api/flows/${FLOW}/file`).expect(200)).body;
    return { flow: { ...file.flow, name }, layout: file.layout, ifFileVersion: file.fileVersion };
  };
  const audit = async () => ((await api.http('admin').get('/api/audit?limit=200').expect(200)).body.entries as { actor: string; action: string; target: string; detail: Record<string, unknown> }[]);

  it("a marketer's publish is a request: nothing is written or goes live, and the approver sees what was asked", async () => {
    const before = readFileSync(flowFile, 'utf8');
    const asked = await api.http('marketer').post(`/api/flows/${FLOW}/publish`).send({ ...(await drawn('催付提醒（待审批）')), note: '双十一前上线' }).expect(202);
    expect(asked.body).toMatchObject({ flowId: FLOW, pendingApproval: true, request: { status: 'pending', requestedBy: 'marketer', note: '双十一前上线', summary: { name: '催付提醒（待审批）' } } });
    expect(Object.keys(asked.body.request.summary.messages).length).toBeGreaterThan(0);
    expect(readFileSync(flowFile, 'utf8')).toBe(before);
    expect((await live()).currentVersion).toBeNull();
    const list = (await api.http('analyst').get('/api/publish-requests').expect(200)).body;
    expect(list.approvalRequired).toBe(true);
    expect(list.requests.map((r: { id: number }) => r.id)).toEqual([asked.body.request.id]);
    const one = (await api.http('analyst').get(`/api/publish-requests/${asked.body.request.id}`).expect(200)).body;
    expect(one.flow.name).toBe('催付提醒（待审批）');
    expect((await audit()).find((e) => e.action === 'flow-publish-requested')).toMatchObject({ actor: 'marketer', target: `flow:${FLOW}`, detail: { request: asked.body.request.id, note: '双十一前上线' } });
  });

  it('refuses anonymous callers, analysts, marketers, the requester and API tokens as approvers; nothing goes live', async () => {
    const id = (await api.http('analyst').get('/api/publish-requests').expect(200)).body.requests[0].id;
    await api.http('anonymous').get('/api/publish-requests').expect(401);
    await api.http('anonymous').post(`/api/publish-requests/${id}/approve`).send({}).expect(401);
    await api.http('analyst').post(`/api/publish-requests/${id}/approve`).send({}).expect(403);
    await api.http('marketer').post(`/api/publish-requests/${id}/approve`).send({}).expect(403);
    await api.http('marketer').post(`/api/publish-requests/${id}/reject`).send({ reason: 'no' }).expect(403);
    await api.http('analyst').post(`/api/publish-requests/${id}/withdraw`).send({}).expect(403);
    const { token } = (await api.http().post('/api/tokens').send({ name: 'ops-bot', scopes: ['admin'] }).expect(201)).body;
    const byToken = await api.http('anonymous').post(`/api/publish-requests/${id}/approve`).set('Authorization', `Bearer ${token}`).send({}).expect(403);
    expect(byToken.body.message).toMatch(/not by an API token/);
    // An admin's own request needs another admin.
    const own = await api.http('admin').post(`/api/flows/${FLOW}/publish`).send(await drawn('管理员自己的申请')).expect(202);
    const self = await api.http('admin').post(`/api/publish-requests/${own.body.request.id}/approve`).send({}).expect(403);
    expect(self.body).toMatchObject({ code: 'not-your-decision', message: expect.stringMatching(/admin asked for this publish: another admin must approve it/) });
    expect((await live()).currentVersion).toBeNull();
    // The admin's request replaced the marketer's (one journey, one question).
    const all = (await api.http('analyst').get(`/api/publish-requests?status=all&flow=${FLOW}`).expect(200)).body.requests;
    expect(all.map((r: { id: number; status: string }) => [r.id, r.status])).toEqual([
      [own.body.request.id, 'pending'],
      [id, 'replaced'],
    ]);
    // …and the audit says so, and whose it was: a request replaced by someone else's left no trace.
    expect((await audit()).find((e) => e.action === 'flow-publish-requested' && e.detail.request === own.body.request.id)).toMatchObject({ actor: 'admin', detail: { replaced: [{ request: id, requestedBy: 'marketer' }] } });
  });

  it('another admin approves: exactly what was asked goes live, authored by the one who asked, and is written as the file', async () => {
    const asked = await api.http('marketer').post(`/api/flows/${FLOW}/publish`).send(await drawn('催付提醒（批准后上线）')).expect(202);
    // The marketer goes on drawing: the approval publishes the request, not the draft.
    await api.http('marketer').put(`/api/flows/${FLOW}/draft`).send({ flow: (await drawn('之后的草稿')).flow, layout: { positions: {} }, revision: null }).expect(200);
    const ok = await api.http('anonymous').post(`/api/publish-requests/${asked.body.request.id}/approve`).set(admin2).send({ note: '已核对人群和券' }).expect(200);
    expect(ok.body).toMatchObject({ flowId: FLOW, version: 1, created: true, request: { status: 'approved', decidedBy: 'chen.admin', version: 1 } });
    expect(await live()).toMatchObject({ currentVersion: 1, status: 'active' });
    expect(readFileSync(flowFile, 'utf8')).toContain('催付提醒（批准后上线）');
    expect((await api.http('analyst').get(`/api/flows/${FLOW}/versions/1`).expect(200)).body).toMatchObject({ author: 'marketer', flow: { name: '催付提醒（批准后上线）' } });
    // The draft drawn after the request is the next change, kept.
    expect((await api.http('marketer').get(`/api/flows/${FLOW}/draft`).expect(200)).body.flow.name).toBe('之后的草稿');
    const log = await audit();
    expect(log.find((e) => e.action === 'flow-published')).toMatchObject({ actor: 'chen.admin', detail: { version: 1, requestedBy: 'marketer', request: asked.body.request.id } });
    expect(log.find((e) => e.action === 'flow-publish-approved')).toMatchObject({ actor: 'chen.admin', detail: { request: asked.body.request.id, requestedBy: 'marketer', version: 1, note: '已核对人群和券' } });
    // Decided once: a second approval is a 409 naming who decided.
    const again = await api.http('admin').post(`/api/publish-requests/${asked.body.request.id}/approve`).send({}).expect(409);
    expect(again.body.message).toMatch(/is approved \(by chen\.admin\)/);
  });

  it('a rejection needs a reason and publishes nothing; the one who asked may withdraw', async () => {
    const asked = await api.http('marketer').post(`/api/flows/${FLOW}/publish`).send(await drawn('会被驳回的版本')).expect(202);
    const empty = await api.http('admin').post(`/api/publish-requests/${asked.body.request.id}/reject`).send({ reason: '  ' }).expect(400);
    expect(JSON.stringify(empty.body)).toMatch(/reason/);
    const no = await api.http('admin').post(`/api/publish-requests/${asked.body.request.id}/reject`).send({ reason: '短信文案缺少退订说明' }).expect(200);
    expect(no.body.request).toMatchObject({ status: 'rejected', decidedBy: 'admin', reason: '短信文案缺少退订说明' });
    expect((await live()).currentVersion).toBe(1);
    expect(readFileSync(flowFile, 'utf8')).not.toContain('会被驳回的版本');
    const second = await api.http('marketer').post(`/api/flows/${FLOW}/publish`).send(await drawn('撤回的版本')).expect(202);
    await api.http('marketer').post(`/api/publish-requests/${second.body.request.id}/withdraw`).send({}).expect(200);
    await api.http('admin').post(`/api/publish-requests/${second.body.request.id}/approve`).send({}).expect(409);
    const actions = (await audit()).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['flow-publish-rejected', 'flow-publish-withdrawn']));
  });

  it('a request whose file changed in git since is not approved: 409, nothing published, still pending', async () => {
    const asked = await api.http('marketer').post(`/api/flows/${FLOW}/publish`).send(await drawn('基于旧文件的申请')).expect(202);
    const text = readFileSync(flowFile, 'utf8');
    writeFileSync(flowFile, text.replace(/^description: .*$/m, 'description: 开发者在 git 里改过'));
    try {
      const res = await api.http('admin').post(`/api/publish-requests/${asked.body.request.id}/approve`).send({}).expect(409);
      expect(res.body.code).toBe('file-changed');
      expect((await live()).currentVersion).toBe(1);
      expect((await api.http('analyst').get(`/api/publish-requests/${asked.body.request.id}`).expect(200)).body.status).toBe('pending');
    } finally {
      writeFileSync(flowFile, text);
    }
  });

  it('refuses a request for a journey with problems at once (422), storing none', async () => {
    const bad = await drawn('有问题的旅程');
    (bad.flow as { nodes: { type: string; trigger?: { segment?: string } }[] }).nodes.find((n) => n.type === 'entry')!.trigger!.segment = 'no-such-segment';
    const pendingBefore = (await api.http('analyst').get('/api/publish-requests').expect(200)).body.requests.length;
    await api.http('marketer').post(`/api/flows/${FLOW}/publish`).send(bad).expect(422);
    expect((await api.http('analyst').get('/api/publish-requests').expect(200)).body.requests.length).toBe(pendingBefore);
  });

  it('the command line does not publish past the approval by accident; --without-approval does, and the audit log says so', async () => {
    // A developer's commit, published from the command line.
    writeFileSync(flowFile, readFileSync(flowFile, 'utf8').replace(/^description: .*$/m, 'description: 命令行发布的版本'));
    const refused = await cli(['--rules', rules, '--db', db, 'flows', 'publish', FLOW]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/approval\.publish is on/);
    expect(refused.stderr).toMatch(/--without-approval/);
    const done = await cli(['--rules', rules, '--db', db, 'flows', 'publish', FLOW, '--without-approval']);
    expect(done.stderr).toBe('');
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(/published payment-reminder v2/);
    expect((await audit()).find((e) => e.action === 'flow-published' && e.detail.withoutApproval === true)).toMatchObject({ detail: { version: 2 } });
  });

  it('a request for the file on disk (no drawing) publishes that file as it was asked', async () => {
    writeFileSync(flowFile, readFileSync(flowFile, 'utf8').replace(/^description: .*$/m, 'description: 文件里的版本'));
    const next = ((await live()).currentVersion ?? 0) + 1;
    const asked = await api.http('marketer').post(`/api/flows/${FLOW}/publish`).send({}).expect(202);
    expect(asked.body.request).toMatchObject({ fromFile: true, status: 'pending' });
    const ok = await api.http('anonymous').post(`/api/publish-requests/${asked.body.request.id}/approve`).set(admin2).send({}).expect(200);
    expect(ok.body).toMatchObject({ version: next, created: true });
    expect((await api.http('analyst').get(`/api/flows/${FLOW}/versions/${next}`).expect(200)).body.flow.description).toMatch(/^文件里的版本/);
  });

  it('two admins approving at once: one publishes, the other is told who did (409)', async () => {
    writeFileSync(flowFile, readFileSync(flowFile, 'utf8').replace(/^description: .*$/m, 'description: 两位管理员同时批准'));
    const next = ((await live()).currentVersion ?? 0) + 1;
    const asked = await api.http('marketer').post(`/api/flows/${FLOW}/publish`).send({}).expect(202);
    const both = await Promise.all([api.http('admin').post(`/api/publish-requests/${asked.body.request.id}/approve`).send({}), api.http('anonymous').post(`/api/publish-requests/${asked.body.request.id}/approve`).set(admin2).send({})]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(both.find((r) => r.status === 409)!.body.message).toMatch(/is approved \(by (admin|chen\.admin)\)/);
    expect((await live()).currentVersion).toBe(next);
    expect((await audit()).filter((e) => e.action === 'flow-publish-approved' && e.detail.request === asked.body.request.id)).toHaveLength(1);
  });

  it('`rekindle flows list` says which journey waits for approval, by whom', async () => {
    const asked = await api.http('marketer').post(`/api/flows/${FLOW}/publish`).send(await drawn('等待审批的版本')).expect(202);
    const listed = await cli(['--rules', rules, '--db', db, 'flows', 'list']);
    expect(listed.code).toBe(0);
    expect(listed.stdout.split('\n').find((l) => l.startsWith(FLOW))).toMatch(new RegExp(`publish request #${asked.body.request.id} by marketer \\(2026-11-02T10:00:00\\+08:00\\) waits for an admin's approval`));
    const json = JSON.parse((await cli(['--rules', rules, '--db', db, 'flows', 'list', '--json'])).stdout) as { id: string; request: unknown }[];
    expect(json.find((r) => r.id === FLOW)!.request).toEqual({ id: asked.body.request.id, requestedBy: 'marketer', requestedAt: '2026-11-02T10:00:00+08:00' });
    expect(json.find((r) => r.id === 'pre-sleep')!.request).toBeNull();
  });
});
