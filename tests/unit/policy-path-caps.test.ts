/**
 * A marketer's walkthrough: a sleeping-customer journey sent three marketing SMS within 17 days
 * against the shop's 2 a month; the problems list and the publish dialog said nothing, and only the
 * simulation showed 228 messages 未发出：触达上限已满. The flow checks now judge each path of the
 * journey against the caps that bind it (core/policy/path-cap-checks.ts).
 */
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ruleCatalogFromNames } from '../../server/src/core/flow/rule-references.js';
import { validateFlowText } from '../../server/src/core/flow/validate-flow.js';
import { shopCapsOf } from '../../server/src/runtime/shop-cap-ids.js';
import { serverProblemWords } from '../../designer/src/model/server-problem-words.js';
import type { DraftFlow } from '../../designer/src/model/types.js';

const RULES = ruleCatalogFromNames(['aud']);
const SHOP = shopCapsOf('rules'); // marketing-per-day (1 in 24h), sms-per-month (2 a month)
const capWarnings = (text: string, caps = SHOP) => validateFlowText(text, 'rules/flows/t.flow.yaml', RULES, null, undefined, null, caps).problems.filter((p) => /^the (campaign )?cap "/.test(p.message));
const sms = (id: string, next: string, label = id) => `  - { id: ${id}, type: send, channel: sms, label: ${label}, template: '【店】好久不见 回T退订', next: ${next} }\n`;
const answer = (id: string, within: string, next: string) => `  - { id: ${id}, type: waitForEvent, events: [order_paid], within: ${within}, responded: done, timedOut: ${next} }\n`;
const journey = (body: string, head = '') => `id: t\nname: 沉睡唤醒\n${head}exitOn:\n  - event: order_paid\nnodes:\n  - { id: start, type: entry, trigger: { type: schedule, segment: aud }, next: sms-1 }\n${body}  - { id: done, type: exit }\n`;

describe('sends a cap holds back on a path of the journey itself', () => {
  it('warns on the third marketing SMS within 17 days against 2 a month, naming the cap and the two before it, in Chinese by their names', () => {
    const text = journey(sms('sms-1', 'wait-1', '开头提醒') + answer('wait-1', '10d', 'sms-2') + sms('sms-2', 'wait-2', '发券') + answer('wait-2', '7d', 'sms-3') + sms('sms-3', 'done', '最后一次'));
    const [w, ...rest] = capWarnings(text);
    expect(rest).toEqual([]);
    expect(w).toMatchObject({ nodeId: 'sms-3', severity: 'warning', path: 'nodes.5.channel' });
    expect(w.message).toBe('the cap "sms-per-month" (每位顾客每个自然月最多收到 2 条营销短信) allows 2 a calendar month, and on a path this send can come 17d after sms-1, sms-2: when they fall in one month it is held back; space the sends more than a month apart, send one by another channel or kind, or raise the cap');
    const flow = { id: 't', name: 't', nodes: [{ id: 'sms-1', type: 'send', label: '开头提醒' }, { id: 'sms-2', type: 'send', label: '发券' }] } as unknown as DraftFlow;
    expect(serverProblemWords(w, flow)).toBe('上限「每位顾客每个自然月最多收到 2 条营销短信」：每个自然月最多 2 条，这一步最早在「开头提醒」（sms-1）、「发券」（sms-2）之后 17 天发出：它们落在同一个月里时，这一条会被拦下不发。请把间隔拉开到一个月以上，改用其他渠道或类型，或调高上限');
    // More than a month apart at the least: they never share a month.
    expect(capWarnings(text.replace('within: 7d', 'within: 40d'))).toEqual([]);
    // A care message is not one the marketing caps count.
    expect(capWarnings(text.replace("{ id: sms-3, type: send, channel: sms,", "{ id: sms-3, type: send, channel: sms, category: care,"))).toEqual([]);
  });

  it('warns on a second marketing message surely within 24 hours, not when a wait may last longer or its length is a date', () => {
    const mail = `  - { id: mail-1, type: send, channel: email, subject: 新品, template: 新品上市, next: wait-1 }\n`;
    const body = (wait: string) => journey(mail + `  - { id: wait-1, type: wait, ${wait}, next: sms-2 }\n` + sms('sms-2', 'done')).replace('next: sms-1 }', 'next: mail-1 }');
    const [w, ...rest] = capWarnings(body('duration: 2h'));
    expect(rest).toEqual([]);
    expect(w.message).toMatch(/^the cap "marketing-per-day" \(每位顾客每天最多收到 1 条营销消息（所有旅程合计）\) allows 1 in 24h, and on a path this send comes at most 2h after mail-1: it is held back for every customer who got those/);
    expect(serverProblemWords(w)).toMatch(/^上限「每位顾客每天最多收到 1 条营销消息（所有旅程合计）」：1 天内最多 1 条，这一步最多在「mail-1」之后 2 小时发出/);
    expect(capWarnings(body('duration: 3d'))).toEqual([]);
    expect(capWarnings(body('untilDate: "2026-11-11T10:00:00+08:00"'))).toEqual([]);
  });

  it("warns on a campaign's touch past its cap on one path, the journey's own cap", () => {
    const caps = 'campaign: double11-2026\ncaps:\n  - { id: d11-touches, max: 2, campaign: true, channels: [sms] }\n';
    const text = journey(sms('sms-1', 'wait-1') + answer('wait-1', '40d', 'sms-2') + sms('sms-2', 'wait-2') + answer('wait-2', '40d', 'sms-3') + sms('sms-3', 'done'), caps);
    const ws = capWarnings(text, []);
    expect(ws.map((w) => [w.nodeId, w.message.split(':')[0]])).toEqual([['sms-3', 'the campaign cap "d11-touches" allows 2 touches, and on a path through this send it is the 3rd (after sms-1, sms-2)']]);
    expect(serverProblemWords(ws[0])).toMatch(/^活动上限「d11-touches」最多 2 次触达，经过这一步的路径上这已是第 3 次/);
    // Without the campaign tag the campaign cap binds nothing.
    expect(capWarnings(text.replace('campaign: double11-2026\n', ''), [])).toEqual([]);
  });

  it('finds nothing in the shipped journeys (Double 11 keeps ≤ 2 SMS on every path, email 3 days before each)', () => {
    const dir = 'rules/flows';
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.flow.yaml'))) expect([f, capWarnings(readFileSync(join(dir, f), 'utf8').replace(/^id: .*$/m, 'id: t'))]).toEqual([f, []]);
  });
});
