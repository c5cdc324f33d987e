import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { bucket } from '../../server/src/core/engine/split-assignment.js';
import { decodeFacts, decodeFactsArray, someFactsRead, STORED_FACT_COLUMNS } from '../../server/src/persistence/fact-store.js';
import { deriveFacts } from '../../server/src/core/facts/derive.js';
import { deriveNamedFacts, NAMED_FACTS, storedFieldsOf } from '../../server/src/core/facts/named-facts.js';
import type { StoredFacts } from '../../server/src/core/facts/stored-facts.js';
import { factsReadBy, factsReadByAll } from '../../server/src/core/engine/flow-fact-needs.js';
import type { FlowVersion } from '../../server/src/core/engine/model.js';
import { FlowSchema } from '../../server/src/core/flow/schema.js';
import { defaultShopConfig } from '../../server/src/core/shop-config.js';

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

  it('a fact derived by name is the value deriving every fact gives it, for every catalogue fact (w-engine5)', () => {
    const stored = rows.map(decodeFacts);
    const names = Object.keys(NAMED_FACTS).sort();
    // Instants around Double 11 and across seasons, in the shop's zone.
    for (const at of [Date.parse('2025-11-11T03:00:00Z'), Date.parse('2026-11-01T01:00:00Z'), Date.parse('2027-04-15T12:00:00Z'), 1_760_500_000_000]) {
      const ctx = { at, timezone: defaultShopConfig.timezone, lifecycle: defaultShopConfig.lifecycle };
      for (const s of stored) {
        const all = deriveFacts(s, ctx);
        expect(Object.keys(all).sort()).toEqual(names);
        for (const n of names) expect(deriveNamedFacts(s, ctx, [n])).toEqual({ [n]: all[n] });
        // From a row holding only the fields the names list (as the store reads it).
        for (const n of names) {
          const fields = storedFieldsOf([n]);
          const partial = Object.fromEntries(Object.entries(s).filter(([k]) => fields.has(k as keyof StoredFacts))) as unknown as StoredFacts;
          expect(deriveNamedFacts(partial, ctx, [n])[n]).toEqual(all[n]);
        }
      }
    }
  });

  it("a fact row read for some fields decodes each field as the whole row's decoding does", () => {
    const fields = Object.keys(decodeFactsArray(STORED_FACT_COLUMNS.map((c) => rows[0][c]))) as (keyof StoredFacts)[];
    for (const r of rows) {
      const whole = decodeFactsArray(STORED_FACT_COLUMNS.map((c) => r[c]));
      for (const pick of [fields, ['orderCount', 'totalSpent', 'lastOrderAt'], ['categorySeasons', 'consentWechat', 'double11OrderCount', 'pAlive']] as (keyof StoredFacts)[][]) {
        const read = someFactsRead(pick);
        const got = read.decode(read.columns.map((c) => r[c]));
        expect(got.customerId).toBe(whole.customerId);
        for (const f of pick) expect(got[f]).toEqual(whole[f]);
        expect(Object.keys(got).length).toBe(new Set(['customerId', ...pick]).size);
      }
    }
  });

  it('a batch reads the facts its messages name (and the last order, for give-up), all facts when a node may read any', () => {
    let id = 0;
    const version = (nodes: unknown[]): FlowVersion => ({
      id: ++id, flowId: `f${id}`, version: 1, hash: '', publishedAt: 0, author: 't',
      flow: FlowSchema.parse({ id: `f${id}`, name: 'f', nodes: [{ id: 'start', type: 'entry', trigger: { type: 'audience', segment: 'everyone', startAt: '2026-11-01T00:00:00Z' }, next: nodes.length ? (nodes[0] as { id: string }).id : 'done' }, ...nodes, { id: 'done', type: 'exit' }] }),
    });
    const send = (id: string, template: string, next: string, subject?: string) => ({ id, type: 'send', channel: 'email', template, ...(subject ? { subject } : {}), next });
    const plain = version([{ id: 'ab', type: 'split', arms: [{ id: 'a', weight: 50, next: 's1' }, { id: 'b', weight: 50, next: 's1' }] }, send('s1', '{{customer.name}}', 'w'), { id: 'w', type: 'wait', duration: '1d', next: 's2' }, send('s2', '满{{facts.aov}}减20', 'done', '{{facts.recencyDays}}天')]);
    expect(factsReadBy(plain)).toEqual(['aov', 'lastOrderAt', 'recencyDays']);
    expect(factsReadBy(version([send('s1', 'hi', 'done')]))).toEqual(['lastOrderAt']);
    // A condition's rule asked without the rule evaluator, {{facts}} itself, a name not in the catalogue: all facts
    // (a stratified split reads its stratum's facts, and rules what they name: tests/unit/flow-fact-needs-rules.test.ts).
    expect(factsReadBy(version([{ id: 'c', type: 'condition', rule: 'vip', yes: 'done', no: 'done' }]))).toBeNull();
    expect(factsReadBy(version([send('s1', '{{facts}}', 'done')]))).toBeNull();
    expect(factsReadBy(version([send('s1', '{{facts.nmae}}', 'done')]))).toBeNull();
    const other = version([send('s1', '{{facts.orderCount}}', 'done')]);
    expect(factsReadByAll([plain, other])).toEqual(['aov', 'lastOrderAt', 'orderCount', 'recencyDays']);
    expect(factsReadByAll([plain, version([{ id: 'c', type: 'condition', rule: 'vip', yes: 'done', no: 'done' }])])).toBeNull();
  });
});
