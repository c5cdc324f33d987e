import { cpSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { cli } from '../support/cli.js';
import { tempDir } from '../support/temp-dirs.js';

const dir = tempDir('rekindle-journeys-cli-');
const RULES = join(dir, 'rules');
cpSync(join(process.cwd(), 'rules'), RULES, { recursive: true });
const shop = join(dir, 'shop.sqlite');
const NOW = '2026-11-20T12:00:00+08:00';

describe('rekindle flows / simulate / explain', () => {
  it('seeds a demo shop to simulate on', async () => {
    const r = await cli(['--db', shop, 'seed', '--customers', '2000', '--seed', '5', '--now', NOW, '--json']);
    expect(r.code).toBe(0);
  });

  it('refuses to simulate in the live database and names the way out', async () => {
    const r = await cli(['--rules', RULES, 'simulate', 'payment-reminder', '--from', '2026-11-18']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/run it on a copy.*--copy-of/);
  });

  it('a simulate that fails (unknown flow) leaves no copy behind, so the corrected command runs', async () => {
    const sim = join(dir, 'typo.sqlite');
    const r = await cli(['--db', sim, '--rules', RULES, 'simulate', 'payment-remnder', '--copy-of', shop, '--from', '2026-11-18']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no flow file .*rules\/flows\/payment-remnder\.flow\.yaml \(flows: .*payment-reminder/);
    expect(existsSync(sim)).toBe(false);
  });

  it('starts a one-off campaign at its own startAt when --from is not given, and asks for --from where a flow has no date', async () => {
    const sim = join(dir, 'd11.sqlite');
    const r = await cli(['--db', sim, '--rules', RULES, '--json', 'simulate', 'double11-campaign', '--copy-of', shop, '--days', '1']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.from).toBe('2027-10-27T09:00:00+08:00');
    expect(out.report.nodes.find((n: { nodeId: string }) => n.nodeId === 'start').outcomes.entered).toBeGreaterThan(0);
    // The shop's data ends 2026-11-20; the copy lived until the 2027 start, so every group the
    // campaign's switch names has customers (A3, C and D1 were empty: everyone had aged asleep).
    expect(out.broughtForward).toMatchObject({ dataEnd: '2026-11-20T12:00:00+08:00', start: '2027-10-27T09:00:00+08:00' });
    expect(out.broughtForward.orders).toBeGreaterThan(0);
    const groups = out.report.nodes.find((n: { nodeId: string }) => n.nodeId === 'group').outcomes as Record<string, number>;
    for (const label of ['A1 只在双十一买过', 'A2 每年双十一都买', 'A3 从没在双十一买过（仍活跃）', 'B 下单未付款', 'C 近期优质客户', 'D1 浅度沉睡', 'D2 深度沉睡', 'D3 流失客户（只发邮件）']) expect(groups[`case:${label}`]).toBeGreaterThan(0);

    const noDate = await cli(['--db', join(dir, 'no-date.sqlite'), '--rules', RULES, 'simulate', 'payment-reminder', '--copy-of', shop]);
    expect(noDate.code).toBe(1);
    expect(noDate.stderr).toMatch(/--from <date> is needed: payment-reminder enters customers on each order_created event/);
    expect(existsSync(join(dir, 'no-date.sqlite'))).toBe(false);
  });

  it('simulates the payment reminder on a copy and prints what each node did', async () => {
    const sim = join(dir, 'sim.sqlite');
    const r = await cli(['--db', sim, '--rules', RULES, '--json', 'simulate', 'payment-reminder', '--copy-of', shop, '--from', '2026-11-18T12:00:00+08:00', '--days', '2', '--step', '30m']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    const node = (id: string) => out.report.nodes.find((n: { nodeId: string }) => n.nodeId === id);
    expect(node('start').outcomes.entered).toBeGreaterThan(0);
    expect(node('wait-2h').outcomes.waited).toBeGreaterThan(0);
    expect(out.report.sends.reduce((s: number, x: { count: number }) => s + x.count, 0)).toBeGreaterThan(0);
    expect(existsSync(sim)).toBe(true);

    // The simulation left its journeys in --db: explain reads one back, step by step.
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(sim, { readonly: true });
    const { external_id: reminded } = db.prepare("SELECT c.external_id FROM sends s JOIN customers c ON c.id = s.customer_id WHERE s.flow_id = 'payment-reminder~simulated' LIMIT 1").get() as { external_id: string };
    const heldBack = db.prepare("SELECT c.external_id, s.reason FROM sends s JOIN customers c ON c.id = s.customer_id WHERE s.flow_id = 'payment-reminder~simulated' AND s.status = 'blocked' LIMIT 1").get() as { external_id: string; reason: string } | undefined;
    db.close();
    const journey = JSON.parse((await cli(['--db', sim, '--json', 'explain', reminded])).stdout);
    expect(journey.journeys[0]).toMatchObject({ flowId: 'payment-reminder', simulated: true });
    expect(journey.journeys[0].steps[0].outcome).toBe('entered');
    expect(journey.sends.length).toBeGreaterThan(0);
    // Read by a person: the shop's wall clock (Asia/Shanghai) and the text that went out.
    const text = (await cli(['--db', sim, '--rules', RULES, 'explain', reminded])).stdout;
    expect(text).toMatch(/^ {2}2026-11-1\d \d\d:\d\d \+08:00 {2}start +entered — on event order_created$/m);
    expect(text).toMatch(/\n {6}text: .*\/r\/[A-Za-z0-9_-]{12}/);
    // Message lines say why a send was held back in words, never as the logged code; JSON keeps the code.
    expect(heldBack).toBeDefined();
    const held = (await cli(['--db', sim, '--rules', RULES, 'explain', heldBack!.external_id])).stdout;
    expect(held).toMatch(/^ {2}2026-11-\d\d \d\d:\d\d \+08:00 {2}\S+ +held back \((no marketing consent for|frequency cap|quiet hours|no \w+ address)[^)]*\) {2}payment-reminder\//m);
    expect(held).not.toMatch(/blocked \(|\((no-consent|capped|quiet-hours|given-up|no-address):/);
    // What the held-back message would have said, as the send log stores it (no text: "sent" it was not).
    expect(held).toMatch(/\n {6}would have read: \S/);
    // …and no tracked link: a held-back message's token is never stored, so /r/<token> would lead nowhere.
    expect(held).not.toMatch(/would have read: [^\n]*\/r\/[A-Za-z0-9_-]{12}/);
    expect(held).not.toMatch(/held back [^\n]*\n {6}text: /);
    // The send log of the simulated flow, asked for by the flow's name (stored under the simulation's id).
    const log = (await cli(['--db', sim, '--rules', RULES, 'export', 'sends', '--flow', 'payment-reminder'])).stdout.trim().split('\n');
    expect(log.length).toBeGreaterThan(1);
    expect(log[1]).toContain(',payment-reminder~simulated,');
    const heldJson = JSON.parse((await cli(['--db', sim, '--json', 'explain', heldBack!.external_id])).stdout) as { sends: { status: string; reason: string }[] };
    expect(heldJson.sends.some((x) => x.status === 'blocked' && x.reason === heldBack!.reason)).toBe(true);
  });

  it('publishes, pauses, resumes and stops a flow; an invalid flow is refused with its file and line', async () => {
    // A rules folder outside the working folder: named absolute, as validate names it (never ../../tmp/…).
    expect((await cli(['--db', shop, '--rules', RULES, 'flows', 'publish', 'post-purchase-care'])).stdout).toMatch(new RegExp(`^published post-purchase-care v1 from ${join(RULES, 'flows', 'post-purchase-care.flow.yaml')} \\(`));
    expect((await cli(['--db', shop, '--rules', RULES, 'flows', 'publish', 'post-purchase-care'])).stdout).toMatch(/already has this content/);
    expect((await cli(['--db', shop, '--rules', RULES, 'flows', 'pause', 'post-purchase-care'])).stdout).toMatch(/paused/);
    expect((await cli(['--db', shop, '--rules', RULES, 'flows', 'resume', 'post-purchase-care'])).stdout).toMatch(/resumed/);
    const list = JSON.parse((await cli(['--db', shop, '--rules', RULES, '--json', 'flows', 'list'])).stdout);
    expect(list.find((f: { id: string }) => f.id === 'post-purchase-care')).toMatchObject({ status: 'active', version: 1 });
    expect((await cli(['--db', shop, '--rules', RULES, 'flows', 'stop', 'post-purchase-care'])).stdout).toMatch(/stopped/);
    const paused = await cli(['--db', shop, '--rules', RULES, 'flows', 'pause', 'post-purchase-care']);
    expect(paused.code).toBe(1);
    expect(paused.stderr).toMatch(/stopped; publish it to start it again/);

    const bad = await cli(['--db', shop, '--rules', RULES, 'flows', 'publish', join(process.cwd(), 'tests/fixtures/flows/broken-edge.flow.yaml')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/broken-edge\.flow\.yaml:\d+ node remind: edge "next" points to missing node "nowhere"/);
  });

  it("with another flow live, simulate prints the simulated flow's own figures (entered, queued, delivered add up) and labels the totals of all journeys", async () => {
    // payment-reminder is live in the shop; post-purchase-care is simulated on a copy of it.
    expect((await cli(['--db', shop, '--rules', RULES, 'flows', 'publish', 'payment-reminder'])).code).toBe(0);
    const sim = join(dir, 'sim-other-live.sqlite');
    const r = await cli(['--db', sim, '--rules', RULES, '--json', 'simulate', 'post-purchase-care', '--copy-of', shop, '--from', '2026-11-18T12:00:00+08:00', '--days', '2']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    const en = out.report.enrollments;
    expect(out.entered).toBe(en.active + en.completed + en.exited);
    const sends = (...statuses: string[]) => out.report.sends.filter((x: { status: string }) => statuses.includes(x.status)).reduce((n: number, x: { count: number }) => n + x.count, 0);
    expect(out.queued).toBe(sends('queued', 'sending', 'sent', 'failed'));
    expect(out.delivery.delivered + out.delivery.undelivered).toBe(sends('sent', 'failed'));
    // The live flow did run and send in the copy (so the figures above would differ if they were everyone's).
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(sim, { readonly: true });
    const other = db.prepare("SELECT COUNT(*) AS n FROM sends WHERE flow_id = 'payment-reminder' AND status IN ('sent', 'failed')").get() as { n: number };
    db.close();
    expect(other.n).toBeGreaterThan(0);
    expect(out.summary.queued).toBeGreaterThan(out.queued);
    const text = (await cli(['--db', join(dir, 'sim-other-live-text.sqlite'), '--rules', RULES, 'simulate', 'post-purchase-care', '--copy-of', shop, '--from', '2026-11-18T12:00:00+08:00', '--days', '2'])).stdout;
    expect(text).toMatch(new RegExp(`^post-purchase-care: ${out.entered} entered, ${out.queued} messages queued$`, 'm'));
    expect(text).toMatch(/^all journeys in .*: \d+ ticks, .* messages queued$/m);
    expect(text).toMatch(new RegExp(`post-purchase-care's messages: ${out.delivery.delivered} delivered, ${out.delivery.undelivered} not delivered`));
  });
  it('refuses a --baseline-rate that is neither "history" nor a rate, naming the option', async () => {
    const r = await cli(['--db', join(dir, 'sim-bad-baseline.sqlite'), '--rules', RULES, 'simulate', 'new-product-launch', '--copy-of', shop, '--from', '2027-04-20', '--baseline-rate', 'lots']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/--baseline-rate: "lots" is neither "history" nor a number/);
  });
  it('a simulated launch ahead of today shows its purchases: paid orders, goals, and responders in `report` without --at', async () => {
    const sim = join(dir, 'sim-launch.sqlite');
    const r = await cli(['--db', sim, '--rules', RULES, '--json', 'simulate', 'new-product-launch', '--copy-of', shop, '--from', '2027-04-20', '--days', '14', '--response-rate', '1', '--purchase-rate', '1']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.delivery.orders).toBeGreaterThan(0);
    expect(out.delivery.revenue).toBeGreaterThan(0);
    expect(out.report.enrollments.completed).toBeGreaterThan(0);
    // The report's "now" is the simulation's last step (it is ahead of today), so its orders count.
    const rep = await cli(['--db', sim, '--rules', RULES, '--json', 'report', 'new-product-launch']);
    expect(rep.code).toBe(0);
    const arms = JSON.parse(rep.stdout).arms as { arm: string; holdout: boolean; responders: number; revenue: number }[];
    expect(arms.filter((a) => !a.holdout).reduce((n, a) => n + a.responders, 0)).toBeGreaterThan(0);
    expect(arms.filter((a) => !a.holdout).reduce((n, a) => n + a.revenue, 0)).toBeGreaterThan(0);
    // Customers buy on their own too (organic purchases, messaged or not; the holdout's responses:
    // tests/db/simulated-purchases.test.ts, this shop's holdout is a customer or two).
    expect(out.delivery.organicOrders).toBeGreaterThan(0);
    expect(out.delivery.organicRevenue).toBeGreaterThan(0);
    // explain shows what the customer did: the click, the coupon used and the order that ended the journey.
    const { default: Database } = await import('better-sqlite3');
    const simDb = new Database(sim, { readonly: true });
    const redeemer = simDb.prepare("SELECT c.external_id, k.code, k.redeemed_order FROM coupons k JOIN customers c ON c.id = k.customer_id WHERE k.redeemed_at IS NOT NULL ORDER BY k.code LIMIT 1").get() as { external_id: string; code: string; redeemed_order: string };
    simDb.close();
    const explained = (await cli(['--db', sim, '--rules', RULES, 'explain', redeemer.external_id])).stdout;
    expect(explained).toMatch(/clicked the message's link/);
    expect(explained).toContain(`used coupon ${redeemer.code}`);
    expect(explained).toContain(`in order ${redeemer.redeemed_order}`);
    expect(explained).toMatch(/goal reached \(order paid\) — order sim-\S+ \(¥[\d,]+\.\d\d\) paid /);
    // The funnel's send steps show their clicks (every delivered message answered at rate 1).
    const funnel = JSON.parse((await cli(['--db', sim, '--rules', RULES, '--json', 'report', 'new-product-launch', '--funnel'])).stdout) as { nodes: { type: string; sent: number; failed: number; clicked: number }[] };
    const sends = funnel.nodes.filter((n) => n.type === 'send');
    expect(sends.reduce((n, x) => n + x.clicked, 0)).toBe(out.delivery.responses);
  });

  it("simulates a one-off audience that is live and has already run as the designer does: its audience enters again and only the simulation's figures print; report and explain take the flow's name", async () => {
    // mobile-once is live in its own shop and has run: its audience (mobile shoppers) entered.
    const flowText = (wait: string) => `id: mobile-once\nname: 一次性手机人群\nnodes:\n  - id: start\n    type: entry\n    trigger:\n      type: audience\n      segment: mobile-customers\n      startAt: '2026-11-18T12:00:00+08:00'\n    next: wait\n  - id: wait\n    type: wait\n    duration: ${wait}\n    next: done\n  - id: done\n    type: exit\n`;
    writeFileSync(join(RULES, 'flows', 'mobile-once.flow.yaml'), flowText('1d'));
    const live = join(dir, 'shop-mobile-once-live.sqlite');
    cpSync(shop, live);
    // Without --copy-of, simulate publishes the flow under its own id in --db and runs it: the live run.
    const ran = JSON.parse((await cli(['--db', live, '--rules', RULES, '--json', 'simulate', 'mobile-once', '--from', '2026-11-18T12:00:00+08:00', '--days', '1'])).stdout);
    const audience = ran.entered as number;
    expect(audience).toBeGreaterThan(0);
    // The draft now waits 2 days. Simulated on a copy of that shop, the audience enters again (was:
    // nobody, the live flow's audience had run), and nothing of the live run is counted.
    writeFileSync(join(RULES, 'flows', 'mobile-once.flow.yaml'), flowText('2d'));
    const sim = join(dir, 'sim-mobile-once.sqlite');
    const r = await cli(['--db', sim, '--rules', RULES, '--json', 'simulate', 'mobile-once', '--copy-of', live, '--from', '2026-11-18T12:00:00+08:00', '--days', '3']);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ flowId: 'mobile-once', simulatedAs: 'mobile-once~simulated', entered: audience });
    expect(out.report).toMatchObject({ flowId: 'mobile-once', enrollments: { active: 0, completed: 0, exited: audience } });
    const text = (await cli(['--db', join(dir, 'sim-mobile-once-text.sqlite'), '--rules', RULES, 'simulate', 'mobile-once', '--copy-of', live, '--from', '2026-11-18T12:00:00+08:00', '--days', '3'])).stdout;
    expect(text).toMatch(new RegExp(`^mobile-once: ${audience} entered, 0 messages queued$`, 'm'));
    expect(text).toMatch(new RegExp(`^flow mobile-once: 0 in progress, 0 completed \\(goal\\), ${audience} exited$`, 'm'));
    // The flow's name reads the simulation on the copy: the funnel and one customer's journey.
    const funnel = JSON.parse((await cli(['--db', sim, '--rules', RULES, '--json', 'report', 'mobile-once', '--funnel'])).stdout) as { flowId: string; nodes: { nodeId: string; entered: number }[] };
    expect(funnel.nodes.find((n) => n.nodeId === 'start')).toMatchObject({ entered: audience });
    // Named as the developer named it, marked simulated (not by the copy's own id mobile-once~simulated).
    expect((await cli(['--db', sim, '--rules', RULES, 'report', 'mobile-once'])).stdout).toMatch(/^funnel of flow mobile-once \(simulated\) \(nodes of v1;/m);
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(sim, { readonly: true });
    const { external_id: entrant } = db.prepare("SELECT c.external_id FROM enrollments e JOIN customers c ON c.id = e.customer_id WHERE e.flow_id = 'mobile-once~simulated' LIMIT 1").get() as { external_id: string };
    db.close();
    const journey = JSON.parse((await cli(['--db', sim, '--json', 'explain', entrant])).stdout) as { journeys: { flowId: string; simulated?: boolean; steps: { node: string }[] }[] };
    const simulated = journey.journeys.filter((j) => j.simulated);
    expect(simulated).toHaveLength(1);
    expect(simulated[0]).toMatchObject({ flowId: 'mobile-once', steps: [{ node: 'start' }, { node: 'wait' }, { node: 'done' }] });
    expect((await cli(['--db', sim, '--rules', RULES, 'explain', entrant])).stdout).toMatch(/^mobile-once \(simulated\): /m);
  });
});
