import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { bucket } from '../../server/src/core/engine/split-assignment.js';
import { decodeFacts, decodeFactsArray, STORED_FACT_COLUMNS } from '../../server/src/persistence/fact-store.js';

/** Rows of customer_facts as SQLite hands them (snake_case; booleans as 0/1; nulls; no predictions yet). */
const rows: Record<string, unknown>[] = [
  { customer_id: 7, order_count: 3, total_spent: 379.2, first_order_at: 1_700_000_000_000, last_order_at: 1_760_000_000_000, unpaid_order_count: 1, last_unpaid_at: 1_761_000_000_000, categories: '|beauty|snacks|', category_seasons: '|beauty@2025-autumn|', double11_years: '|2024|2025|', double11_order_count: 2, province: '浙江', city: '杭州', device: 'mobile', tags: '|vip|', consent_sms: 1, consent_email: 0, consent_wechat: null, consent_wangwang: 1, consent_push: 0, p_alive: 0.42, expected_purchases: 1.5, updated_at: 5 },
  { customer_id: 8, order_count: 0, total_spent: 0, first_order_at: null, last_order_at: null, unpaid_order_count: 0, last_unpaid_at: null, categories: '', category_seasons: '', double11_years: '', double11_order_count: null, province: null, city: null, device: null, tags: '', consent_sms: null, consent_email: null, consent_wechat: null, consent_wangwang: null, consent_push: null, p_alive: null, expected_purchases: null, updated_at: 5 },
];

describe('stepping reads give the same values as before (w-engine4)', () => {
  it('a packed fact row decoded from its array equals decodeFacts of the same row as an object', () => {
    for (const r of rows) expect(decodeFactsArray(STORED_FACT_COLUMNS.map((c) => r[c]))).toEqual(decodeFacts(r));
  });

  it("a split's bucket is the SHA-256 of salt, NUL, subject fed in three parts, as before", () => {
    for (const [salt, subject] of [['flow/ab', '42'], ['双11/分组', '7/9'], ['', ''], ['a\ud800', '\udc00b']]) {
      const h = createHash('sha256').update(salt).update('\u0000').update(subject).digest();
      expect(bucket(salt, subject)).toBe((h.readUInt32BE(0) / 0x1_0000_0000) * 100);
    }
  });
});
