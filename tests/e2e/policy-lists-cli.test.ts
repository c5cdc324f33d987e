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
    expect(shown).toContainEqual({ name: 'bad-reviews', customers: 3, applied: false });
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
});
