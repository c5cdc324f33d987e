import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { couponFromSelect, couponOptions, couponSelectValue, ONE_OFF } from '../../designer/src/model/coupon-options.js';
import { canonicalDuration, durationWords, normalizeDuration, parseTypedDuration } from '../../designer/src/model/duration.js';
import { FIELD_WORDS, fieldLabel } from '../../designer/src/model/fields.js';
import { formatMoney, fromLocalInput, toLocalInput } from '../../designer/src/model/format.js';
import { MESSAGES } from '../../designer/src/model/i18n.js';
import { problemWords } from '../../designer/src/model/problem-words.js';
import { outcomeWords, reasonWords } from '../../designer/src/model/reason-words.js';
import { missedEntryWords } from '../../designer/src/model/missed-entry-words.js';
import { declaredEventsOn, declaredEventWords, nodeSummary, triggerWords } from '../../designer/src/model/summary.js';
import { CATEGORY_WORDS, conditionsWords, customerValueWords, FACT_WORDS, OPERATOR_WORDS, valueWords } from '../../designer/src/model/words.js';
import { CATEGORIES } from '../../server/src/core/seed/products.js';
import { FACTS } from '../../server/src/core/facts/catalogue.js';
import { OPERATORS } from '../../server/src/core/rules/operators.js';

/** Every form field path of the flow JSON Schema (node fields without "nodes."), as the inspector builds them. */
function schemaPaths(): string[] {
  const schema = JSON.parse(readFileSync('rules/schema/flow.schema.json', 'utf8'));
  const out = new Set<string>();
  const walk = (x: any, p: string) => {
    if (!x || typeof x !== 'object') return;
    if (x.properties) for (const [k, v] of Object.entries(x.properties)) {
      const q = p ? `${p}.${k}` : k;
      out.add(q);
      walk(v, q);
    }
    for (const k of ['oneOf', 'anyOf', 'allOf']) if (Array.isArray(x[k])) x[k].forEach((y: any) => walk(y, p));
    if (x.items) walk(x.items, p);
  };
  walk(schema, '');
  return [...out].map((p) => p.replace(/^nodes\./, '')).filter((p) => p !== 'nodes' && p !== 'type');
}

describe('designer words', () => {
  it('has a Chinese label and help for every field of the flow schema (the forms stay generated)', () => {
    const missing = schemaPaths().filter((p) => !FIELD_WORDS[p] && !FIELD_WORDS[p.split('.').pop()!]);
    expect(missing).toEqual([]);
    expect(fieldLabel('zh', 'trigger.startAt')).toBe('开始时间');
    expect(fieldLabel('en', 'multiTouchShare')).toBe('Multi-touch share');
  });

  it('names every fact and operator of the catalogue in both languages', () => {
    expect(FACTS.map((f) => f.name).filter((n) => !FACT_WORDS[n])).toEqual([]);
    expect(OPERATORS.map((o) => o.name).filter((n) => !OPERATOR_WORDS[n])).toEqual([]);
  });

  it('shows a customer past the sleep threshold as asleep for so many days, not "−520 天" to go; a condition threshold stays a number', () => {
    expect(customerValueWords('zh', 'daysUntilSleeping', -520)).toBe('已沉睡 520 天');
    expect(customerValueWords('zh', 'daysUntilSleeping', 0)).toBe('今天进入沉睡');
    expect(customerValueWords('zh', 'daysUntilSleeping', 10)).toBe('10 天');
    expect(customerValueWords('en', 'daysUntilSleeping', -3)).toBe('asleep for 3 days');
    expect(customerValueWords('zh', 'recencyDays', 610)).toBe('610 天');
    expect(conditionsWords('zh', { all: [{ fact: 'daysUntilSleeping', operator: 'lessThanInclusive', value: 0 }] })).toBe('距进入沉睡还有几天 ≤ 0 天');
  });

  it('shows a customer\'s money to the fen through the one formatter: 客单价 ¥56.14, not ¥56.142857142857146', () => {
    expect(customerValueWords('zh', 'aov', 393 / 7)).toBe('¥56.14');
    expect(customerValueWords('zh', 'totalSpent', 1234.5)).toBe(formatMoney('zh', 1234.5));
    expect(valueWords('zh', 'aov', 200)).toBe('¥200');
    expect(nodeSummary('zh', { id: 'a', type: 'action', action: { kind: 'issueCoupon', value: 10 / 3 } })).toMatch(/¥3\.33$/);
    expect(couponOptions('zh', [{ id: 'odd', name: 'odd', amount: 12.345, minSpend: 99.999 }], undefined)[1].label).toBe('odd（odd，¥12.35，满 ¥100 可用）');
  });

  it('names the demo shop\'s category codes in Chinese (as the seed catalogue labels them), other codes as stored', () => {
    expect(customerValueWords('zh', 'categories', ['accessories', 'pants'])).toBe('配饰、裤子');
    expect(valueWords('zh', 'categoriesLastSeason', 'knitwear')).toBe('毛衣');
    expect(valueWords('zh', 'categories', 'stationery')).toBe('stationery');
    expect(valueWords('zh', 'categories', 'tea')).toBe('茶叶茶具');
    expect(valueWords('en', 'categories', 'pants')).toBe('pants');
    // Not every value that looks like a code is a category: tags keep theirs.
    expect(valueWords('zh', 'tags', 'dress')).toBe('dress');
    for (const c of CATEGORIES) expect([c.name, CATEGORY_WORDS[c.name]]).toEqual([c.name, c.label]);
  });

  it('has the same message keys in both languages', () => {
    expect(Object.keys(MESSAGES.en).sort()).toEqual(Object.keys(MESSAGES.zh).sort());
  });

  it('reads durations as marketers type them and keeps the canonical form', () => {
    expect(normalizeDuration('3天')).toBe('3d');
    expect(normalizeDuration('3 days')).toBe('3d');
    expect(normalizeDuration('72h')).toBe('72h'); // already the file's form: kept as typed
    expect(normalizeDuration('2 小时')).toBe('2h');
    // Full-width, as a Chinese input method types in full-width mode, and 半 (a half) as it is said (walkthrough: 「２小时」 and 「半天」 were 不是有效的时长).
    expect(['２小时', '３ｄ', '１．５天'].map(normalizeDuration)).toEqual(['2h', '3d', '1d12h']);
    expect(['半天', '一天半', '两个半小时', '1个半小时', '半小时', '半个小时', '半个月', '一个半月'].map(normalizeDuration)).toEqual(['12h', '1d12h', '2h30m', '1h30m', '30m', '30m', '15d', '45d']);
    expect(['半', '天半', '半半天'].map(normalizeDuration)).toEqual([null, null, null]);
    expect(normalizeDuration('1天12小时')).toBe('1d12h');
    expect(normalizeDuration('1 week')).toBe('7d');
    expect(normalizeDuration('soon')).toBeNull();
    expect(parseTypedDuration('0d')).toBe(0);
    expect(canonicalDuration(90 * 60_000)).toBe('1h30m');
    expect(durationWords('zh', '3d')).toBe('3 天');
    expect(durationWords('en', '1d12h')).toBe('1 day 12 hours');
  });

  it('puts date-times in the shop time zone and back with its offset', () => {
    expect(toLocalInput('2026-11-05T10:00:00+08:00', 'Asia/Shanghai')).toBe('2026-11-05T10:00');
    expect(toLocalInput('2026-11-05T02:00:00Z', 'Asia/Shanghai')).toBe('2026-11-05T10:00');
    expect(fromLocalInput('2026-11-05T10:00', 'Asia/Shanghai')).toBe('2026-11-05T10:00:00+08:00');
    expect(fromLocalInput('2026-07-01T09:30', 'Europe/Berlin')).toBe('2026-07-01T09:30:00+02:00');
  });

  it('summarises each card in one line', () => {
    expect(nodeSummary('zh', { id: 'w', type: 'wait', duration: '3d' })).toBe('等待 3 天');
    expect(nodeSummary('zh', { id: 's', type: 'send', channel: 'sms', template: '亲，您的订单还没有付款哦，点击链接完成付款' })).toBe('短信：亲，您的订单还没有付款哦，点…');
    expect(nodeSummary('zh', { id: 'c', type: 'condition', conditions: { all: [{ fact: 'aov', operator: 'greaterThan', value: 200 }] } })).toBe('客单价 > ¥200');
    expect(nodeSummary('en', { id: 'c', type: 'condition', conditions: { any: [{ fact: 'consentSms', operator: 'equal', value: true }, { fact: 'recencyDays', operator: 'lessThan', value: 30 }] } })).toBe('SMS consent = yes or Days since last order < 30 days');
    expect(conditionsWords('zh', { all: [] })).toBe('（没有条件）');
  });

  it("a card names an event the shop declares (rules/shop.yaml events:) by the shop's description, and keeps its raw name for the tooltip", () => {
    // As GET /api/event-types lists them: system events, declared ones with a description, one only seen in the log.
    const declared = declaredEventWords([
      { name: 'order_paid', system: true, declared: false, description: null },
      { name: 'wechat_reply', system: false, declared: true, description: '客户在微信里回复了店铺的消息' },
      { name: 'gift_card_used', system: false, declared: false, description: null },
    ]);
    const entry = { id: 'start', type: 'entry' as const, trigger: { type: 'event', event: 'wechat_reply' } };
    expect(nodeSummary('zh', entry, undefined, declared)).toBe('当「客户在微信里回复了店铺的消息」时');
    expect(nodeSummary('en', entry, undefined, declared)).toBe('When: "客户在微信里回复了店铺的消息"');
    const wait = { id: 'reply', type: 'waitForEvent' as const, within: '3d', events: ['click', 'wechat_reply', 'gift_card_used'] };
    expect(nodeSummary('zh', wait, undefined, declared)).toBe('3 天内等待点击链接、「客户在微信里回复了店铺的消息」或gift_card_used');
    expect(declaredEventsOn(wait, declared)).toEqual(['wechat_reply']);
    expect(declaredEventsOn(entry, declared)).toEqual(['wechat_reply']);
    // System events keep their own words; without the shop's list (or for an undeclared one) the raw name as before.
    expect(nodeSummary('zh', { id: 'start', type: 'entry', trigger: { type: 'event', event: 'order_paid' } }, undefined, declared)).toBe('当顾客付款时');
    expect(nodeSummary('zh', entry)).toBe('当顾客wechat_reply时');
    expect(declaredEventsOn(entry, new Map())).toEqual([]);
  });

  it('names a declared event in the journeys list and a customer\'s history as its card does', () => {
    const declared = declaredEventWords([{ name: 'wechat_reply', system: false, declared: true, description: '客户在微信里回复了店铺的消息' }]);
    // The journeys list's trigger column (HomeView) and the card say the same sentence.
    const trigger = { type: 'event', event: 'wechat_reply' };
    expect(triggerWords('zh', trigger, undefined, declared)).toBe(nodeSummary('zh', { id: 'start', type: 'entry', trigger }, undefined, declared));
    expect(triggerWords('zh', trigger, undefined, declared)).toBe('当「客户在微信里回复了店铺的消息」时');
    // A customer's journey step that ended early on it (exitOn), and an event of theirs that started no journey.
    expect(outcomeWords('zh', 'completed:wechat_reply', undefined, declared)).toBe('达成目标（「客户在微信里回复了店铺的消息」）');
    expect(outcomeWords('zh', 'completed:order_paid', undefined, declared)).toBe('达成目标（付款）');
    const missed = { flowId: 'f', eventId: 1, event: 'wechat_reply', journeyKey: null, occurredAt: '2026-11-30T06:30:00Z', receivedAt: '2026-11-30T06:30:00Z', reason: { kind: 'already-in-journey', enteredAt: '2026-11-30T06:00:00Z' } };
    const when = (iso: string | null | undefined) => (iso ? iso.slice(11, 16) : '');
    expect(missedEntryWords('zh', missed, when, declared)).toBe('「客户在微信里回复了店铺的消息」（06:30 到达）：顾客已经在这个旅程中（06:00 进入）');
    // Without the shop's list, the raw name as before.
    expect(missedEntryWords('zh', missed, when)).toBe('wechat_reply（06:30 到达）：顾客已经在这个旅程中（06:00 进入）');
    expect(outcomeWords('zh', 'completed:wechat_reply')).toBe('达成目标（wechat_reply）');
  });

  it('says problems, outcomes and reasons in words', () => {
    const p = (message: string, path = 'nodes.2.next') => problemWords('zh', { line: 1, nodeId: 'x', path, message, severity: 'error' });
    expect(p('branch "timedOut" is not connected to any node')).toBe('「超时」还没有连到下一步');
    expect(p('missing required "template"', 'nodes.3.template')).toBe('请填写「消息内容」');
    expect(p('node is unreachable from the entry node "start"')).toContain('从入口走不到');
    expect(p('arm weights add up to 115%, not 100%')).toBe('各组比例加起来是 115%，应为 100%');
    expect(problemWords('en', { line: 1, nodeId: null, path: '', message: 'as the server says', severity: 'error' })).toBe('as the server says');
    expect(outcomeWords('zh', 'exited:exit')).toBe('离开旅程：到达结束');
    expect(outcomeWords('zh', 'arm:b')).toBe('分到「b」组');
    expect(outcomeWords('zh', 'completed:order_paid')).toBe('达成目标（付款）');
    expect(reasonWords('zh', 'no-consent:email')).toBe('没有邮件营销许可');
    expect(reasonWords('en', 'capped:d11-touches')).toBe('frequency cap "d11-touches" was full');
    expect(reasonWords('zh', 'coupon-used')).toBe('此旅程发的券客户已经用过，不再发第二张');
    expect(reasonWords('en', 'no-coupon')).toBe('the message names a coupon this journey never gave the customer');
  });

  it('says a coupon mentioned where none is issued with the fix, and keeps the server reason of problems it has no words for', () => {
    const p = (message: string, path = 'nodes.2.template') => problemWords('zh', { line: 1, nodeId: 'remind-1-sms', path, message, severity: 'error' });
    const noCoupon = p('mentions a coupon the customer may not hold: issue one here (coupon: <template>) or reach this node only after a send that issues one');
    expect(noCoupon).toContain('「消息内容」提到了优惠券');
    expect(noCoupon).toContain('「优惠券」里选一张券');
    expect(noCoupon).toContain('发过券的发送步骤之后');
    expect(p('{{coupon.value}}: a coupon has coupon.amount, coupon.code, coupon.expires')).toContain('{{coupon.value}} 不存在');
    expect(p('coupon template "nope" is not in rules/coupons.yaml (templates: a, b)', 'nodes.2.coupon')).toBe('优惠券模板「nope」不在 rules/coupons.yaml 中，请从列表里选一张');
    // The catch-all: node and field first (the panel prints the node), then the server's reason.
    expect(p('something the designer has no words for yet')).toBe('「消息内容」填写有误：something the designer has no words for yet');
  });

  it('offers a send node the coupon templates by id, none, and keeps a value the list does not hold', () => {
    const templates = [
      { id: 'welcome-back-10', name: '老顾客无门槛券 10元', amount: 10, minSpend: 0 },
      { id: 'd11-winback-20', name: '双十一老客回归券 20元 (满199)', amount: 20, minSpend: 199 },
    ];
    const zh = couponOptions('zh', templates, undefined);
    expect(zh.map((o) => o.value)).toEqual(['', 'welcome-back-10', 'd11-winback-20']);
    expect(zh[0].label).toBe('无');
    expect(zh[1].label).toBe('老顾客无门槛券 10元（welcome-back-10，¥10，无门槛）');
    expect(zh[2].label).toContain('满 ¥199 可用');
    // The flow stores the template id (publish writes `coupon: welcome-back-10`); none removes the key.
    expect(couponFromSelect('welcome-back-10', undefined)).toBe('welcome-back-10');
    expect(couponFromSelect('', 'welcome-back-10')).toBeUndefined();
    expect(couponSelectValue('welcome-back-10')).toBe('welcome-back-10');
    expect(couponSelectValue(undefined)).toBe('');
    // A removed template and a one-off coupon from the file stay as they are.
    expect(couponOptions('zh', templates, 'gone-5').at(-1)).toEqual({ value: 'gone-5', label: 'gone-5（不在 coupons.yaml 中）' });
    const oneOff = { value: 15, minSpend: 0, validDays: 7 };
    expect(couponSelectValue(oneOff)).toBe(ONE_OFF);
    expect(couponOptions('zh', templates, oneOff).at(-1)?.value).toBe(ONE_OFF);
    expect(couponFromSelect(ONE_OFF, oneOff)).toBe(oneOff);
  });

  it('names the file where the shop declares its own events (rules/shop.yaml), not a settings screen the designer does not have', () => {
    expect(MESSAGES.zh['events.shopOwn']).toContain('rules/shop.yaml');
    expect(Object.entries(MESSAGES.zh).filter(([, v]) => v.includes('店铺设置'))).toEqual([]);
  });
});
