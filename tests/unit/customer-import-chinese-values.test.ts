import { describe, expect, it } from '@jest/globals';
import { mapRow } from '../../server/src/core/data/import/row-mapper.js';

/**
 * A customers file from a Chinese shop writes its device as 手机 / 电脑 and consent as 是 / 否 (the
 * words its back office shows): every such row was refused ("device: expected one of mobile, pc,
 * got "手机""; "consent_sms: expected true/false/1/0/yes/no or empty, got "是""), so the device
 * rules (mobile-customers) and consent checks had nothing to go by. They are read as
 * mobile / pc and true / false, in CSV and NDJSON alike; other words are still refused by field.
 */
const TZ = 'Asia/Shanghai';

describe('customers import: Chinese device and consent words', () => {
  it('reads 手机 / 电脑 and 是 / 否 in a CSV row', () => {
    expect(mapRow('customers', 'csv', { externalId: 'x1', device: '手机', consent_sms: '是', consent_email: '否' }, TZ)).toEqual({ ok: true, value: expect.objectContaining({ device: 'mobile', consent: { sms: true, email: false } }) });
    expect(mapRow('customers', 'csv', { externalId: 'x2', device: ' 电脑 ', consent_sms: '同意' }, TZ)).toEqual({ ok: true, value: expect.objectContaining({ device: 'pc', consent: { sms: true } }) });
    expect(mapRow('customers', 'csv', { externalId: 'x3', device: 'PC' }, TZ)).toEqual({ ok: true, value: expect.objectContaining({ device: 'pc' }) });
  });

  it('reads them in NDJSON (and the REST API) too', () => {
    expect(mapRow('customers', 'ndjson', { externalId: 'x4', device: '手机端' }, TZ)).toEqual({ ok: true, value: expect.objectContaining({ device: 'mobile' }) });
  });

  it('still refuses another word, naming the field', () => {
    const r = mapRow('customers', 'csv', { externalId: 'x5', device: '平板', consent_sms: 'maybe' }, TZ);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.issues.map((i) => i.field).sort()).toEqual(['consent_sms', 'device']);
    expect(!r.ok && r.issues.find((i) => i.field === 'consent_sms')!.message).toBe('expected true/false/1/0/yes/no (是/否) or empty, got "maybe"');
  });
});
