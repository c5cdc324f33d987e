/**
 * The times of day a flow sets, checked against rules/policy.yaml's quiet hours, by every reader of
 * a flow and not by `rekindle validate` alone. A daily 22:00 SMS that expires after 2 h is held by
 * the 21:00–09:00 SMS quiet hours until it expires, so every message of it is skipped: validate
 * (CI) said so as an error, while the designer said 没有问题, its publish dialog 没有警告, and both
 * the designer and `rekindle flows publish` published it (walkthrough nine).
 */
import { cpSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { serverProblemWords } from '../../designer/src/model/server-problem-words.js';
import { parse } from 'yaml';
import { checkDraft, readFlowFile } from '../../server/src/api/designer/flow-drafts.js';
import { VirtualClock } from '../../server/src/core/clock.js';
import type { RuleSet } from '../../server/src/core/rules/rule-set.js';
import { InvalidFlowError, loadValidFlow } from '../../server/src/runtime/flow-files.js';
import { validateFiles } from '../../server/src/cli/commands/validate.js';
import { freshTarget } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/http-app.js';
import { tempDir } from '../support/temp-dirs.js';
import { NIGHT_SMS } from '../support/flow-fixtures.js';

process.env.REKINDLE_QUIET = '1';
const T0 = Date.parse('2026-11-20T10:00:00+08:00');
/** An hourly schedule that kept the default daily 09:00: runs at :00 every hour, a warning. */
const HOURLY_AT_NINE = NIGHT_SMS.replace('id: night-sms', 'id: hourly-nine').replace("every: day, at: '22:00'", "every: hour, at: '09:00'").replace('    expiresAfter: 2h\n', '');

describe('times of day against quiet hours, wherever a flow is read', () => {
  const rules = tempDir('rekindle-times-of-day-');
  let server: TestApp;
  let drop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });
    writeFileSync(join(rules, 'flows', 'night-sms.flow.yaml'), NIGHT_SMS);
    writeFileSync(join(rules, 'flows', 'hourly-nine.flow.yaml'), HOURLY_AT_NINE);
    const t = await freshTarget('sqlite');
    drop = t.drop;
    server = await createTestApp({ database: t.target, rulesDir: rules, clock: new VirtualClock(T0), schedulers: false });
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    await drop?.();
    rmSync(rules, { recursive: true, force: true });
  });

  const quietError = (p: { severity: string; message: string }) => p.severity === 'error' && /inside the sms quiet hours 21:00–09:00.*always skipped/.test(p.message);

  it('the designer checks a draft whose SMS is always held past its expiry as an error, as rekindle validate does', async () => {
    const cli = validateFiles([join(rules, 'flows', 'night-sms.flow.yaml')], rules).get(join(rules, 'flows', 'night-sms.flow.yaml')) ?? [];
    expect(cli.filter(quietError)).toHaveLength(1);
    const draft = parse(NIGHT_SMS);
    const checked = checkDraft(draft, rules);
    // The same problem on the same field (lines differ: the draft is checked as canonical YAML).
    expect(checked.problems.filter(quietError).map((p) => [p.nodeId, p.path, p.message])).toEqual(cli.filter(quietError).map((p) => [p.nodeId, p.path, p.message]));
    // Over HTTP, as the designer's Problems panel reads it.
    const res = await server.http('marketer').post('/api/flows/validate').send({ flow: draft });
    expect(res.status).toBe(200);
    expect((res.body.problems as { severity: string; message: string }[]).filter(quietError)).toHaveLength(1);
    // The file the designer opens says it too.
    expect(readFlowFile(rules, 'night-sms')?.problems.filter(quietError)).toHaveLength(1);
  });

  it('the hourly schedule that still names 09:00 is a warning in the designer too', () => {
    const warnings = checkDraft(parse(HOURLY_AT_NINE), rules).problems.filter((p) => p.severity === 'warning' && /with every: hour: only the minute counts/.test(p.message));
    expect(warnings.map((p) => p.path)).toEqual(['nodes.0.trigger.at']);
  });

  it('publishing refuses the flow (rekindle flows publish and the designer both load it through loadValidFlow)', () => {
    // loadValidFlow reads only the rules' names (which segments exist).
    const ruleSet = { names: () => readdirSync(join(rules, 'segments')).map((f) => f.replace(/\.ya?ml$/, '')), brokenCause: () => null } as unknown as RuleSet;
    let thrown: unknown;
    try {
      loadValidFlow(rules, 'night-sms', ruleSet);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(InvalidFlowError);
    expect((thrown as InvalidFlowError).problems.filter(quietError)).toHaveLength(1);
    // A warning alone does not stop publishing; it is handed back with the flow.
    expect(loadValidFlow(rules, 'hourly-nine', ruleSet).warnings.some((p) => /only the minute counts/.test(p.message))).toBe(true);
  });

  it('the Problems panel says them in Chinese, naming the step, the hours and what to change', () => {
    const flow = parse(NIGHT_SMS);
    const [error] = checkDraft(flow, rules).problems.filter(quietError);
    const words = serverProblemWords(error, flow);
    expect(words).toBe(
      '由「入口」（start）每天 22:00 圈选的顾客在 22:00 到达「发送短信」（sms），正好在短信的免打扰时段 21:00–09:00 内（全店触达规则）：消息要压到 09:00（11 小时后）才能发，但「最长延后」只有 2 小时，所以每一条都会被跳过，一条也发不出去。请把时间改到免打扰时段之外，把「最长延后」改到 11 小时以上，或在这一步勾选「紧急（免打扰时段也发送）」',
    );
    const [hourly] = checkDraft(parse(HOURLY_AT_NINE), rules).problems.filter((p) => /only the minute counts/.test(p.message));
    expect(serverProblemWords(hourly)).toBe('「频率」是「每小时」，「时间」09:00 里只有分钟起作用：每小时第 00 分圈选一次，不是 09:00。想每天 09:00 圈选一次，请把「频率」改成「每天」；想每小时圈选，请把「时间」改成 00:00');
  });
});
