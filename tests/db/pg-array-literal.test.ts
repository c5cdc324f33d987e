import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { pgArrayLiteral, pgUnnestInsert, toPgPlaceholders } from '../../server/src/persistence/sql-batch.js';
import { PG_ADMIN_URL } from '../support/databases.js';

/**
 * The unnest writes' array parameters are written as PostgreSQL array text by pgArrayLiteral
 * (not by node-postgres, which quoted and regex-escaped every element: ~15% of a worker's
 * stepping). PostgreSQL must read back exactly the values node-postgres's own encoding gives.
 */
describe('pgArrayLiteral (PostgreSQL)', () => {
  let c: pg.Client;
  beforeAll(async () => {
    c = new pg.Client({ connectionString: PG_ADMIN_URL });
    await c.connect();
  });
  afterAll(async () => {
    await c.end();
  });

  const cases: [string, unknown[]][] = [
    ['text', ['plain', '', 'NULL', 'null', null, ' padded ', 'a,b', '{braces}', 'say "hi"', 'back\\slash', '\\"both\\"', '双十一老顾客专享', '{"channel":"email","n":1}', 'tab\there', 'line\nbreak', undefined]],
    ['int', [0, 1, -7, 2147483647, null, 42]],
    ['bigint', [1793671200000, -1, null, 0, 9007199254740991]],
    ['float8', [0.1, -0, 1e21, 3.5, null, 1 / 3]],
    ['text', []],
  ];

  it.each(cases)('reads back the same %s values as node-postgres encodes', async (type, values) => {
    const literal = pgArrayLiteral(values);
    expect(typeof literal).toBe('string');
    const mine = await c.query(`SELECT $1::${type}[] AS a`, [literal]);
    const theirs = await c.query(`SELECT $1::${type}[] AS a`, [values]);
    expect(mine.rows[0].a).toEqual(theirs.rows[0].a);
  });

  it('leaves arrays of other values (dates, buffers) to node-postgres', () => {
    const values = [new Date(0), 1];
    const out = pgArrayLiteral(values);
    expect(out).toEqual(values);
    expect(out).not.toBe(values);
  });

  it('an unnest insert stores the rows as given', async () => {
    await c.query('CREATE TEMP TABLE t_lit (i int, s text, b bigint, f float8)');
    const rows = [
      [1, 'say "hi" \\ back', 1793671200000, 0.25],
      [2, null, null, null],
      [3, 'NULL', -5, 1e21],
    ];
    const [op] = pgUnnestInsert({ table: 't_lit', columns: ['i', 's', 'b', 'f'], rows }, ['int', 'text', 'bigint', 'float8']);
    await c.query(toPgPlaceholders(op.sql), op.params);
    const back = (await c.query('SELECT i, s, b::float8 AS b, f FROM t_lit ORDER BY i')).rows.map((r) => [r.i, r.s, r.b, r.f]);
    expect(back).toEqual(rows);
  });
});
