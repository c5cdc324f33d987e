import { describe, expect, it } from '@jest/globals';
import { insertManyOps, insertWrittenOps } from '../../server/src/persistence/sql-batch.js';
import { DetailTexts } from '../../server/src/persistence/detail-texts.js';

describe("a stepping batch's rows go into their statements without a copy per row", () => {
  it('writes each row straight into its 50-row statement: the same statements and parameters as row arrays give', () => {
    const rows = Array.from({ length: 123 }, (_, i) => [i, `node-${i % 3}`, i % 2 === 0 ? null : `detail ${i}`]);
    const op = { table: 'journey_steps', columns: ['enrollment_id', 'node_id', 'detail'], suffix: 'ON CONFLICT DO NOTHING' };
    const written = insertWrittenOps(op, rows.length, (params, at, i) => {
      params[at] = rows[i][0];
      params[at + 1] = rows[i][1];
      params[at + 2] = rows[i][2];
    });
    expect(written.map((o) => o.params.length)).toEqual([150, 150, 69]);
    expect(written).toEqual(insertManyOps({ ...op, rows }));
    expect(insertWrittenOps(op, 0, () => undefined)).toEqual([]);
  });
});

describe('log details shared by many rows are serialised once', () => {
  /** A detail that counts how often JSON.stringify reads it. */
  const counted = (label: string) => {
    const d = { label, reads: 0 };
    return Object.assign(d, { toJSON: () => (d.reads++, { label }) });
  };

  it('gives the same text for the same detail object, two details alternating (a split) each serialised once', () => {
    const texts = new DetailTexts();
    const a = counted('a');
    const b = counted('b');
    const out = [a, b, a, b, a, a, b].map((d) => texts.text(d));
    expect(out).toEqual(['{"label":"a"}', '{"label":"b"}', '{"label":"a"}', '{"label":"b"}', '{"label":"a"}', '{"label":"a"}', '{"label":"b"}']);
    expect([a.reads, b.reads]).toEqual([1, 1]);
  });

  it('serialises an equal but different object again (by identity, never by content)', () => {
    const texts = new DetailTexts();
    const [a, b, c] = [counted('a'), counted('b'), counted('c')];
    for (const d of [a, b, c, a]) texts.text(d);
    expect([a.reads, b.reads, c.reads]).toEqual([2, 1, 1]);
    expect(texts.text({ x: 1 })).toBe('{"x":1}');
    expect(texts.text({ x: 2 })).toBe('{"x":2}');
  });
});
