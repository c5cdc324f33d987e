import { describe, expect, it } from '@jest/globals';
import { intakeWords, undeclaredNearMissWords } from '../../designer/src/model/intake-words.js';

const row = { flowId: 'payment-reminder', event: 'order_created', pending: 0, oldestPendingAgeMs: null, matched: 0, enrolled: 0, lastLagMs: null, maxLagMs: null };

describe('the live view\'s event-intake line', () => {
  it('says which event the journey waits for when none has come yet, instead of dashes', () => {
    expect(intakeWords('zh', row)).toBe('事件接入：还没有收到「下单」事件');
  });

  it('says how many events came and how many journeys they started (not customers: a journey per order), and the lag from event to journey in Chinese units', () => {
    expect(intakeWords('zh', { ...row, matched: 120, enrolled: 118, lastLagMs: 240, maxLagMs: 1500 })).toBe('事件接入：收到「下单」事件 120 个，开始了 118 段旅程 · 从收到到进入旅程：最近 240 毫秒，最长 1.5 秒');
  });

  it('says how many wait and for how long when the intake is behind', () => {
    expect(intakeWords('zh', { ...row, matched: 5, enrolled: 2, pending: 3, oldestPendingAgeMs: 180_000, lastLagMs: 900, maxLagMs: 900 })).toBe('事件接入：收到「下单」事件 5 个，开始了 2 段旅程 · 从收到到进入旅程：最近 900 毫秒，最长 900 毫秒 · 待处理 3 个（最早的已等 3 分钟）');
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
