import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { cli } from '../support/cli.js';
import { tempDir } from '../support/temp-dirs.js';

const dir = tempDir('rekindle-lists-');
const rules = join(dir, 'rules');
const db = join(dir, 'shop.sqlite');

describe('rekindle lists', () => {
  beforeAll(async () => {
    cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });
    expect((await cli(['--db', db, '--json', 'seed', '--customers', '50', '--seed', '1', '--now', '2026-11-20T00:00:00Z'])).code).toBe(0);
  });

  it('imports a block list from a CSV column, warns about ids that are not customers, and says whether the policy applies it', async () => {
    const csv = join(dir, 'bad-reviews.csv');
    writeFileSync(csv, 'externalId,reason\nc000003,差评\nc000007,差评\nc000003,dup\nnobody-1,typo\n');
    const r = await cli(['--db', db, '--rules', rules, 'lists', 'import', 'bad-reviews', csv]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/wrote .*bad-reviews\.txt: 3 customer id\(s\)/);
    expect(r.stdout).toMatch(/1 id\(s\) are not customers of this shop \(e\.g\. nobody-1\)/);
    expect(r.stdout).toMatch(/not applied yet: add "bad-reviews" to suppression\.lists/);
    expect(readFileSync(join(rules, 'lists', 'bad-reviews.txt'), 'utf8').split('\n').filter(Boolean)).toEqual(['c000003', 'c000007', 'nobody-1']);
    const shown = JSON.parse((await cli(['--db', db, '--rules', rules, '--json', 'lists'])).stdout);
    expect(shown).toContainEqual({ name: 'bad-reviews', title: null, customers: 3, applied: false });
  });

  it('reads a GBK/GB18030 file (Excel on Chinese Windows, Taobao buyer names) as GBK, as rekindle import does; refuses bytes that are neither, naming the file and line, the list unchanged', async () => {
    const csv = join(dir, 'buyers-gbk.csv');
    writeFileSync(csv, iconv.encode('买家会员名,手机号\r\n小明爱购物,13800000001\r\n王小二,13800000002\r\n', 'gbk'));
    const r = await cli(['--db', db, '--rules', rules, 'lists', 'import', 'bad-buyers', csv, '--column', '买家会员名']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/wrote .*bad-buyers\.txt: 2 customer id\(s\) \(buyers-gbk\.csv read as GBK\/GB18030\)/);
    expect(r.stdout).toMatch(/not customers of this shop \(e\.g\. 小明爱购物, 王小二\)/);
    expect(readFileSync(join(rules, 'lists', 'bad-buyers.txt'), 'utf8').split('\n').filter(Boolean)).toEqual(['小明爱购物', '王小二']);
    // A one-id-a-line file too; --json says the encoding.
    const txt = join(dir, 'buyers-gbk.txt');
    writeFileSync(txt, iconv.encode('# 差评\n小明爱购物\n', 'gbk'));
    const json = JSON.parse((await cli(['--db', db, '--rules', rules, '--json', 'lists', 'import', 'bad-buyers', txt])).stdout);
    expect(json).toMatchObject({ encoding: 'gb18030', customers: 1, unknownSample: ['小明爱购物'] });
    // Neither UTF-8 nor GBK (a byte 0xFF on line 3): refused, naming the file and line; the list stays.
    const bad = join(dir, 'buyers-bad.csv');
    writeFileSync(bad, Buffer.concat([Buffer.from('externalId\nc000001\n'), Buffer.from([0xff, 0x0a])]));
    const refused = await cli(['--db', db, '--rules', rules, 'lists', 'import', 'bad-buyers', bad]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${bad}:3: neither UTF-8 nor GBK/GB18030 text; save the file as UTF-8; the list was not changed`);
    expect(readFileSync(join(rules, 'lists', 'bad-buyers.txt'), 'utf8')).toBe('小明爱购物\n');
  });

  it('a broken rules/policy.yaml does not fail an import that replaced the list: exit 0, the list written, a warning that says why applied is unknown', async () => {
    const broken = join(dir, 'rules-broken-policy');
    cpSync(rules, broken, { recursive: true });
    writeFileSync(join(broken, 'policy.yaml'), 'caps: [not, a, map\n');
    const txt = join(dir, 'reminded.txt');
    writeFileSync(txt, 'c000001\nc000002\n');
    const r = await cli(['--db', db, '--rules', broken, 'lists', 'import', 'phone-reminded', txt]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/wrote .*phone-reminded\.txt: 2 customer id\(s\)/);
    expect(r.stdout).toMatch(/warning: cannot tell whether the list is applied: .*policy\.yaml/);
    expect(readFileSync(join(broken, 'lists', 'phone-reminded.txt'), 'utf8')).toBe('c000001\nc000002\n');
    const json = JSON.parse((await cli(['--db', db, '--rules', broken, '--json', 'lists', 'import', 'phone-reminded', txt])).stdout);
    expect(json).toMatchObject({ customers: 2, applied: null });
    expect(json.policyProblem).toMatch(/policy\.yaml/);
  });

  it('refuses a bad list name or a missing column, writing nothing', async () => {
    const txt = join(dir, 'ids.txt');
    writeFileSync(txt, '# reminded by phone\nc000001\n');
    expect((await cli(['--db', db, '--rules', rules, 'lists', 'import', 'Bad Name', txt])).stderr).toMatch(/list names are lower-case/);
    const csv = join(dir, 'wrong.csv');
    writeFileSync(csv, 'id,reason\nc000001,x\n');
    const r = await cli(['--db', db, '--rules', rules, 'lists', 'import', 'phone-reminded', csv]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no column "externalId" \(columns: id, reason\); pick one with --column/);
    const ok = await cli(['--db', db, '--rules', rules, 'lists', 'import', 'phone-reminded', txt]);
    expect(ok.stdout).toMatch(/1 customer id/);
  });

  it('gives a list its title (on import or on its own), keeps it when the ids are imported again, and prints it with the lists; a list without one says how to give it', async () => {
    const txt = join(dir, 'reviews.txt');
    writeFileSync(txt, 'c000003\nc000007\n');
    const imported = await cli(['--db', db, '--rules', rules, 'lists', 'import', 'titled-reviews', txt, '--title', '差评顾客']);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/wrote .*titled-reviews\.txt: 2 customer id\(s\), titled "差评顾客"/);
    expect(readFileSync(join(rules, 'lists', 'titled-reviews.txt'), 'utf8')).toBe('# title: 差评顾客\nc000003\nc000007\n');
    // Imported again without --title: the ids are replaced, the title stays.
    writeFileSync(txt, 'c000009\n');
    const json = JSON.parse((await cli(['--db', db, '--rules', rules, '--json', 'lists', 'import', 'titled-reviews', txt])).stdout);
    expect(json).toMatchObject({ list: 'titled-reviews', title: '差评顾客', customers: 1 });
    expect(readFileSync(join(rules, 'lists', 'titled-reviews.txt'), 'utf8')).toBe('# title: 差评顾客\nc000009\n');
    // Retitled on its own: the ids stay.
    const retitled = await cli(['--db', db, '--rules', rules, 'lists', 'title', 'titled-reviews', '留过差评的顾客']);
    expect(retitled.code).toBe(0);
    expect(retitled.stdout).toBe('rules/lists/titled-reviews.txt: titled "留过差评的顾客" (was "差评顾客")\n');
    expect(readFileSync(join(rules, 'lists', 'titled-reviews.txt'), 'utf8')).toBe('# title: 留过差评的顾客\nc000009\n');
    const text = (await cli(['--db', db, '--rules', rules, 'lists'])).stdout.split('\n');
    expect(text.find((l) => l.startsWith('titled-reviews '))).toMatch(/^titled-reviews\s+1\s+not referenced by rules\/policy\.yaml\s+留过差评的顾客$/);
    expect(text.find((l) => l.startsWith('do-not-contact '))).toMatch(/applied \(rules\/policy\.yaml\)\s+要求不再联系的顾客$/);
    expect(text.find((l) => l.startsWith('bad-reviews '))).toMatch(/\(no title; give one: rekindle lists title bad-reviews "<title>", or 起名称 on the designer's 触达规则 page\)$/);
    const shown = JSON.parse((await cli(['--db', db, '--rules', rules, '--json', 'lists'])).stdout);
    expect(shown).toContainEqual({ name: 'titled-reviews', title: '留过差评的顾客', customers: 1, applied: false });
    // The audit log says what the title was and became.
    const audit = JSON.parse((await cli(['--db', db, '--rules', rules, '--json', 'audit', '--action', 'block-list-changed', '--limit', '1'])).stdout);
    expect(audit[0]).toMatchObject({ target: 'list:titled-reviews', detail: { titleBefore: '差评顾客', title: '留过差评的顾客' } });
  });

  it('refuses an empty, overlong or multi-line title, or a list that does not exist, naming the argument; nothing changes', async () => {
    const before = readFileSync(join(rules, 'lists', 'titled-reviews.txt'), 'utf8');
    const refused = async (args: string[], want: RegExp) => {
      const r = await cli(['--db', db, '--rules', rules, 'lists', ...args]);
      expect([r.code, r.stderr]).toEqual([1, expect.stringMatching(want)]);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    };
    await refused(['title', 'titled-reviews', '  '], /^error: title: must not be empty/);
    await refused(['title', 'titled-reviews', '差'.repeat(61)], /^error: title: at most 60 characters \(got 61\)/);
    await refused(['title', 'titled-reviews', '差评\n顾客'], /^error: title: must be one line/);
    await refused(['title', 'no-such-list', '差评顾客'], /^error: name: no block list "no-such-list" \(rules\/lists\/no-such-list\.txt\)/);
    await refused(['title', 'Bad Name', '差评顾客'], /^error: name: "Bad Name" — list names are lower-case/);
    const txt = join(dir, 'other.txt');
    writeFileSync(txt, 'c000001\n');
    await refused(['import', 'titled-reviews', txt, '--title', ''], /^error: --title: must not be empty/);
    expect(readFileSync(join(rules, 'lists', 'titled-reviews.txt'), 'utf8')).toBe(before);
  });
});
