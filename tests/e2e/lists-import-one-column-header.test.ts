import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { cli } from '../support/cli.js';
import { tempDir } from '../support/temp-dirs.js';

/**
 * Walkthrough: `rekindle lists import bad-reviews ids.csv --column externalId` on a one-column CSV
 * (`externalId` then one id a line) wrote the header `externalId` onto the block list as a
 * customer id and warned it was "not a customer of this shop". With no comma in its first line the
 * file was read as plain ids; the header row (the column's name) is now the header.
 */
const dir = tempDir('rekindle-lists-header-');
const rules = join(dir, 'rules');
const db = join(dir, 'shop.sqlite');
const listed = (name: string) => readFileSync(join(rules, 'lists', `${name}.txt`), 'utf8').split('\n').filter(Boolean);

describe('rekindle lists import of a one-column CSV', () => {
  beforeAll(async () => {
    cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });
    expect((await cli(['--db', db, '--json', 'seed', '--customers', '50', '--seed', '1', '--now', '2026-11-20T00:00:00Z'])).code).toBe(0);
  });

  it('takes its header row for the header, with --column or the default column name', async () => {
    const csv = join(dir, 'ids.csv');
    writeFileSync(csv, 'externalId\nc000005\nc000006\nc999999\n');
    const r = await cli(['--db', db, '--rules', rules, 'lists', 'import', 'bad-reviews', csv, '--column', 'externalId']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/wrote .*bad-reviews\.txt: 3 customer id\(s\)/);
    expect(r.stdout).toMatch(/warning: 1 id\(s\) are not customers of this shop \(e\.g\. c999999\)/);
    expect(listed('bad-reviews')).toEqual(['c000005', 'c000006', 'c999999']);

    // Default column; Excel's "CSV UTF-8" puts a BOM before the header, and may quote it.
    writeFileSync(csv, '\uFEFF"externalId"\r\nc000007\r\n');
    expect((await cli(['--db', db, '--rules', rules, 'lists', 'import', 'bad-reviews', csv])).code).toBe(0);
    expect(listed('bad-reviews')).toEqual(['c000007']);

    // A column named otherwise, named with --column.
    writeFileSync(csv, 'customer\nc000008\n');
    expect((await cli(['--db', db, '--rules', rules, 'lists', 'import', 'bad-reviews', csv, '--column', 'customer'])).code).toBe(0);
    expect(listed('bad-reviews')).toEqual(['c000008']);
  });

  it('keeps a plain id list (no header) whole', async () => {
    const txt = join(dir, 'ids.txt');
    writeFileSync(txt, '# reminded by phone\nc000001\nc000002\n');
    expect((await cli(['--db', db, '--rules', rules, 'lists', 'import', 'phone-reminded', txt])).code).toBe(0);
    expect(listed('phone-reminded')).toEqual(['c000001', 'c000002']);
  });
});
