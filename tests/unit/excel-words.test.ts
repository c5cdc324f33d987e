import { describe, expect, it } from '@jest/globals';
import { translate } from '../../designer/src/model/i18n.js';
import { enumLabel } from '../../designer/src/model/fields.js';
import { CATEGORY_WORDS as DESIGNER_CATEGORY_WORDS, valueWords } from '../../designer/src/model/words.js';
import { channelLabel } from '../../designer/src/model/summary.js';
import { deliveryErrorWords as designerDeliveryErrorWords, reasonWords as designerReasonWords } from '../../designer/src/model/reason-words.js';
import { listTitleEntries } from '../../designer/src/model/list-titles.js';
import { notEnoughWords, pValueText as designerPValueText, warningText } from '../../designer/src/model/report-warning-words.js';
import { pValueText } from '../../server/src/core/experiment/p-value-text.js';
import { SEND_STATUSES } from '../../server/src/persistence/send-log.js';
import { NODE_TYPES } from '../../server/src/core/flow/schema.js';
import { CHANNELS } from '../../server/src/core/data/model.js';
import {
  CATEGORY_WORDS,
  CHANNEL_WORDS,
  CUSTOMER_VALUE_WORDS,
  NODE_TYPE_WORDS,
  PRODUCT_CATEGORY_WORDS,
  SEND_STATUS_WORDS,
  deliveryErrorWords,
  notEnoughDataWords,
  productCategoriesWords,
  reasonWords,
  sendStatusWords,
} from '../../server/src/core/text/excel-words.js';

/**
 * The Excel exports write codes in the designer's words (core/text/excel-words.ts). The server
 * cannot load the designer's bundle, so it keeps its own table: pinned here equal to the designer's
 * for every code both know, so an operator reads the same 被拦截 / 没有短信营销许可 in the file and on screen.
 */
describe('the Excel exports speak the designer\'s words', () => {
  it('names every send status, channel, message category and step type as the designer does', () => {
    for (const s of SEND_STATUSES) expect([s, SEND_STATUS_WORDS[s]]).toEqual([s, translate('zh', `send.${s}`)]);
    for (const c of CHANNELS) expect([c, CHANNEL_WORDS[c]]).toEqual([c, channelLabel('zh', c)]);
    for (const c of Object.keys(CATEGORY_WORDS)) expect([c, CATEGORY_WORDS[c]]).toEqual([c, enumLabel('zh', c)]);
    for (const t of NODE_TYPES) expect([t, NODE_TYPE_WORDS[t]]).toEqual([t, translate('zh', `type.${t}`)]);
  });

  it('names lifecycle stages, devices and the demo shop\'s categories as the customer page does', () => {
    for (const [code, zh] of Object.entries(CUSTOMER_VALUE_WORDS)) expect([code, zh]).toEqual([code, valueWords('zh', code === 'mobile' || code === 'pc' ? 'device' : 'lifecycleStage', code)]);
    expect(PRODUCT_CATEGORY_WORDS).toEqual(DESIGNER_CATEGORY_WORDS);
    expect(productCategoriesWords('dress|coat|mine')).toBe('连衣裙|外套|mine');
  });

  it('says why a message was held back, and what a delivery error means, in the same words', () => {
    const reasons = [
      'capped:d11-touches',
      'quiet-hours:sms',
      'quiet-hours:email:expired',
      'no-consent:email',
      'no-address:wechat',
      'unsubscribed',
      'unsubscribed:sms',
      'blocked:list:vip',
      'no-coupon',
      'coupon-used',
      'given-up:3',
      'share-limit:d11',
      'fallback:no-consent:sms',
      'group-full',
      'event-too-old',
      'key-missing',
      'reentry-never',
      'already-in-journey',
      'customer-removed',
      'flow-stopped',
      'exit',
      'goal',
      'something-new',
    ];
    expect(reasons.map((r) => [r, reasonWords(r)])).toEqual(reasons.map((r) => [r, designerReasonWords('zh', r)]));
    expect(reasonWords('no-consent:sms')).toBe('没有短信营销许可');
    expect(reasonWords('something-new')).toBe('something-new'); // an unknown code stays itself
    for (const e of ['simulated: not delivered', 'no error recorded', 'HTTP 503 from provider']) expect(deliveryErrorWords(e)).toBe(designerDeliveryErrorWords('zh', e));
    expect(sendStatusWords('weird')).toBe('weird');
  });

  it('says a block list by its title where the shop gave it one, as the designer does, its id where not', () => {
    const titles = { 'bad-reviews': '差评顾客', 'phone-reminded': null };
    const names = Object.fromEntries(listTitleEntries([{ name: 'bad-reviews', title: '差评顾客' }, { name: 'phone-reminded', title: null }]).map((e) => [e.id, e.description]));
    for (const r of ['blocked:list:bad-reviews', 'blocked:list:phone-reminded', 'fallback:blocked:list:bad-reviews']) expect([r, reasonWords(r, titles)]).toEqual([r, designerReasonWords('zh', r, names)]);
    expect(reasonWords('blocked:list:bad-reviews', titles)).toBe('在屏蔽名单「差评顾客」中');
    expect(reasonWords('blocked:list:phone-reminded', titles)).toBe('在屏蔽名单「phone-reminded」中');
    expect(reasonWords('blocked:list:bad-reviews')).toBe('在屏蔽名单「bad-reviews」中'); // no titles read: the id
  });

  it('says why an experiment has not enough data as the experiment panel does, and a p-value as it shows it', () => {
    expect(notEnoughDataWords('few-customers', 200, 'control')).toBe(warningText(notEnoughWords('zh', { enough: false, minPerArm: 200, fewest: null, reason: 'few-customers', control: 'control' }).parts));
    const baseline = notEnoughWords('zh', { enough: false, minPerArm: 200, fewest: null, reason: 'no-baseline', control: 'ctl' }).parts;
    expect(notEnoughDataWords('no-baseline', 200, 'ctl', '对照组')).toBe(warningText(baseline, () => '对照组'));
    for (const p of [0.5, 0.04999, 0.00012, 0.00009, 1e-12]) expect(pValueText(p)).toBe(designerPValueText(p));
  });
});
