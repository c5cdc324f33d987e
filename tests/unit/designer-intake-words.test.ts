import { describe, expect, it } from '@jest/globals';
import { intakeParts, intakePrefix, intakeTitle, intakeWords, undeclaredNearMissWords } from '../../designer/src/model/intake-words.js';

const row = { flowId: 'payment-reminder', event: 'order_created', pending: 0, oldestPendingAgeMs: null, matched: 0, enrolled: 0, lastLagMs: null, maxLagMs: null };

describe('the live view\'s event-intake line', () => {
  it('says which event the journey waits for when none has come yet, instead of dashes', () => {
    expect(intakeWords('zh', row)).toBe('事件接入：还没有收到「下单」事件');
  });

  it('says how many events came and how many journeys they started (not customers: a journey per order), and the lag from event to journey in Chinese units', () => {
    expect(intakeWords('zh', { ...row, matched: 120, enrolled: 118, lastLagMs: 240, maxLagMs: 1500 })).toBe('事件接入：处理延迟：最近一批 240 毫秒，最长 1.5 秒 · 收到「下单」事件 120 个，开始了 118 段旅程');
  });

  it('puts the lag where the one-line banner shows it: right after the events waiting, before the due journeys and the running totals', () => {
    // What the live view read at 1400 px during a burst: the line was cut before any lag.
    const burst = { ...row, exitEvents: ['order_paid'], matched: 46164, enrolled: 46164, pending: 759, pendingByType: { order_created: 757, order_paid: 2 }, oldestPendingAgeMs: 66, dueJourneys: 9138, lastLagMs: 2, recentMaxLagMs: 579, maxLagMs: 1624 };
    const words = intakeWords('zh', burst, undefined, { minutes: 15, since: '2026-12-02T01:20:00.000Z' }, 'Asia/Shanghai');
    expect(words).toBe('事件接入：待处理事件 759 个：「下单」757 个、「付款」2 个（最早的已等 66 毫秒） · 处理延迟：近 15 分钟（09:20 起）最长 579 毫秒，最近一批 2 毫秒 · 待推进的旅程 9138 段（已到时间或被事件唤醒，下一轮处理） · 收到「下单」事件 46164 个，开始了 46164 段旅程');
    expect(words.indexOf('处理延迟')).toBeLessThan(60);
  });

  it('says how many wait and for how long when the intake is behind, first (the line is cut at its end)', () => {
    expect(intakeWords('zh', { ...row, matched: 5, enrolled: 2, pending: 3, oldestPendingAgeMs: 180_000, lastLagMs: 900, maxLagMs: 900 })).toBe('事件接入：待处理事件 3 个（最早的已等 3 分钟） · 处理延迟：最近一批 900 毫秒，最长 900 毫秒 · 收到「下单」事件 5 个，开始了 2 段旅程');
  });

  // The window starts at 14:05 shop time (the words print the shop's clock; Asia/Shanghai unless the shop says otherwise).
  const window = { minutes: 15, since: '2026-11-11T06:05:00.000Z' };

  it('counts payments waiting as pending work of the payment reminder, by type, and the tooltip says what is counted', () => {
    const r = { ...row, exitEvents: ['order_paid'], awaitedEvents: [], matched: 5, enrolled: 5, pending: 7, pendingByType: { order_created: 3, order_paid: 4 }, oldestPendingAgeMs: 2000, lastLagMs: 300, recentMaxLagMs: 2500, maxLagMs: 600_000 };
    expect(intakeWords('zh', r, undefined, window)).toBe('事件接入：待处理事件 7 个：「下单」3 个、「付款」4 个（最早的已等 2.0 秒） · 处理延迟：近 15 分钟（14:05 起）最长 2.5 秒，最近一批 300 毫秒 · 收到「下单」事件 5 个，开始了 5 段旅程');
    expect(intakeTitle('zh', r, undefined, window)).toBe('待处理：已收到、引擎还没处理的事件里，本旅程要处理的类型——开始旅程的「下单」、结束旅程的「付款」。处理延迟：从事件收到到引擎处理（开始旅程或唤醒要结束、要继续的旅程）的时间；最长是近 15 分钟内的最长值，积压消除后会回落。');
    // Payments consumed wake their reminders; until the next round steps them, they are due.
    expect(intakeWords('zh', { ...r, pending: 0, pendingByType: {}, dueJourneys: 1750 }, undefined, window)).toBe('事件接入：处理延迟：近 15 分钟（14:05 起）最长 2.5 秒，最近一批 300 毫秒 · 待推进的旅程 1750 段（已到时间或被事件唤醒，下一轮处理） · 收到「下单」事件 5 个，开始了 5 段旅程');
    expect(intakeWords('zh', { ...r, pending: 0, dueJourneys: 100000, dueCapped: true }, undefined, window)).toMatch(/待推进的旅程 至少 100000 段/);
  });

  it('says the window was quiet instead of repeating a worst lag from hours ago', () => {
    expect(intakeWords('zh', { ...row, matched: 5, enrolled: 5, lastLagMs: 300, recentMaxLagMs: null, maxLagMs: 600_000 }, undefined, window)).toBe('事件接入：近 15 分钟（14:05 起）没有要处理的新事件（最近一批处理延迟 300 毫秒） · 收到「下单」事件 5 个，开始了 5 段旅程');
  });

  it('explains in its tooltip only the figures the line shows (52-intake: 待处理, 待推进 and 处理延迟 explained, none shown)', () => {
    const quiet = { ...row, event: null, exitEvents: ['order_paid'], awaitedEvents: [] };
    expect(intakeWords('zh', quiet)).toBe('事件接入：本旅程要处理「付款」事件');
    const title = intakeTitle('zh', quiet);
    for (const figure of ['待处理：', '待推进', '处理延迟：']) expect(title).not.toContain(figure);
    expect(title).toBe('本旅程要处理的事件：结束旅程的「付款」。还没有要处理的，收到后这里会显示待处理的个数和处理延迟。');
    const busy = intakeTitle('zh', { ...quiet, pending: 2, dueJourneys: 3, lastLagMs: 40, maxLagMs: 40 });
    for (const figure of ['待处理：', '待推进的旅程：', '处理延迟：']) expect(busy).toContain(figure);
    expect(intakeTitle('en', { ...quiet, dueJourneys: 3 })).toMatch(/^Journeys due: /);
  });

  it('names the exit and awaited events of a journey that no event starts', () => {
    expect(intakeWords('zh', { ...row, event: null, exitEvents: ['order_paid'], awaitedEvents: ['wechat_reply'] })).toBe('事件接入：本旅程要处理「付款」、「wechat_reply」事件');
  });

  it('names a shop-declared event by its description', () => {
    expect(intakeWords('zh', { ...row, event: 'wechat_reply' }, new Map([['wechat_reply', '客户在微信里回复了店铺的消息']]))).toBe('事件接入：还没有收到「客户在微信里回复了店铺的消息」事件');
  });

  it('warns when the feed sends a misspelt name of the event this journey waits for, and only then', () => {
    const types = [{ type: 'order_creatd', didYouMean: 'order_created' }, { type: 'visit' }, { type: 'order_payed', didYouMean: 'order_paid' }];
    expect(undeclaredNearMissWords('zh', 'order_created', types)).toBe('注意：收到了未声明的事件类型 order_creatd，像是「下单」事件（order_created）写错了名字——这些事件不会让顾客进入旅程，请让对接方改正事件名');
    expect(undeclaredNearMissWords('zh', 'order_created', [{ type: 'visit' }, { type: 'order_payed', didYouMean: 'order_paid' }])).toBeNull();
    expect(undeclaredNearMissWords('zh', 'order_created', [])).toBeNull();
  });
});

describe('the intake line in parts (the live view wraps between them)', () => {
  it('gives the parts intakeWords joins: the backlog by type, the lag, the totals — each a whole figure', () => {
    const burst = { flowId: 'payment-reminder', event: 'order_created', exitEvents: ['order_paid'], pending: 99250, pendingByType: { order_created: 66200, order_paid: 33050 }, oldestPendingAgeMs: 37_900, matched: 1000, enrolled: 1000, lastLagMs: 40_000, maxLagMs: 40_000 };
    const parts = intakeParts('zh', burst);
    expect(parts).toEqual(['待处理事件 99250 个：「下单」66200 个、「付款」33050 个（最早的已等 37.9 秒）', '处理延迟：最近一批 40.0 秒，最长 40.0 秒', '收到「下单」事件 1000 个，开始了 1000 段旅程']);
    expect(intakeWords('zh', burst)).toBe(intakePrefix('zh') + parts.join(' · '));
  });
});

describe("the intake line of a paused journey (events of the pause start nothing and are not caught up)", () => {
  const base = { flowId: 'payment-reminder', event: 'order_created', exitEvents: ['order_paid'], pending: 0, oldestPendingAgeMs: null, matched: 5, enrolled: 5, lastLagMs: 40, maxLagMs: 40 };

  it('says first that the journey is paused and what happens to its orders meanwhile, then how many arrived while paused', () => {
    const words = intakeWords('zh', { ...base, status: 'paused', skippedWhilePaused: 1, lastSkippedAt: '2026-11-11T06:05:00.000Z' }, undefined, undefined, 'Asia/Shanghai');
    expect(words).toBe('事件接入：已暂停：新收到的「下单」事件不会开始旅程，继续运行后也不补 · 处理延迟：最近一批 40 毫秒，最长 40 毫秒 · 收到「下单」事件 5 个，开始了 5 段旅程 · 暂停期间收到「下单」事件 1 个，没有开始旅程（继续运行后也不补，最近一个 14:05）');
    expect(intakeWords('en', { ...base, status: 'paused', skippedWhilePaused: 1, lastSkippedAt: '2026-11-11T06:05:00.000Z' }, undefined, undefined, 'Asia/Shanghai')).toContain('1 "order placed" events arrived while paused and started no journey (not caught up on resume, the last at 14:05)');
  });

  it('keeps the count of a past pause after resume, and its tooltip says what the count is', () => {
    const row = { ...base, status: 'active', skippedWhilePaused: 3, lastSkippedAt: '2026-11-11T06:05:00.000Z' };
    expect(intakeParts('zh', row, undefined, undefined, 'Asia/Shanghai').at(-1)).toBe('暂停期间收到「下单」事件 3 个，没有开始旅程（继续运行后也不补，最近一个 14:05）');
    expect(intakeTitle('zh', row)).toContain('旅程暂停时收到的「下单」事件不开始旅程，继续运行后也不补');
  });

  it('says nothing of pauses for a journey never paused', () => {
    expect(intakeWords('zh', { ...base, status: 'active', skippedWhilePaused: 0, lastSkippedAt: null })).not.toContain('暂停');
    expect(intakeTitle('zh', { ...base, status: 'active', skippedWhilePaused: 0 })).not.toContain('暂停');
  });
});
