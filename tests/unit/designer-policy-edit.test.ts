import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { capCount, editedPolicyYaml, newCap, newGiveUp, policyDraft, withCapCount } from '../../designer/src/model/policy-edit.js';
import { ApiError } from '../../designer/src/api-error.js';
import { MESSAGES } from '../../designer/src/model/i18n.js';
import { giveUpWords, policyConflictWords, policyLoadProblems, policyProblems, quietHoursWords, suppressionWords } from '../../designer/src/model/policy-words.js';
import { parsePolicyText } from '../../server/src/core/policy/policy-text.js';

/** The contact-rules page (designer): its edit of rules/policy.yaml and its words for the policy. */
const SHOP = readFileSync(join(process.cwd(), 'rules', 'policy.yaml'), 'utf8');
const draftOf = (text: string) => policyDraft(text);

describe('the contact-rules page edits rules/policy.yaml', () => {
  it('changes a cap\'s max and description and keeps every comment and untouched line of the file', () => {
    const d = draftOf(SHOP);
    d.caps[0] = { ...d.caps[0], max: 2, description: '每位顾客每天最多 2 条营销消息' };
    const out = editedPolicyYaml(SHOP, d);
    for (const comment of SHOP.split('\n').filter((l) => l.trim().startsWith('#'))) expect(out).toContain(comment);
    expect(out).toContain('quietHours:\n  sms:\n    from: "21:00"');
    expect(out).toContain('categories: [marketing]');
    const p = parsePolicyText(out, 'policy.yaml');
    expect(p.caps[0]).toMatchObject({ id: 'marketing-per-day', max: 2, description: '每位顾客每天最多 2 条营销消息', window: '24h' });
    expect(p.caps[1]).toEqual(parsePolicyText(SHOP, 'policy.yaml').caps[1]);
    expect(p.giveUp).toEqual(parsePolicyText(SHOP, 'policy.yaml').giveUp);
  });

  it('an unchanged draft gives the file back as it was', () => {
    expect(editedPolicyYaml(SHOP, draftOf(SHOP))).toBe(SHOP);
  });

  it('keeps a comment written beside a changed number', () => {
    const text = 'caps:\n  - id: a\n    max: 1 # agreed with the shop owner\n    window: 24h\n';
    const out = editedPolicyYaml(text, { caps: [{ id: 'a', max: 3, window: '24h' }], quietHours: {}, giveUp: null, suppression: {} });
    expect(out).toContain('max: 3 # agreed with the shop owner');
  });

  it('adds, removes and recounts caps; a cleared description leaves the file', () => {
    const d = draftOf(SHOP);
    d.caps.splice(0, 1);
    d.caps[0] = withCapCount({ ...d.caps[0], description: '' }, 'campaign');
    d.caps.push(newCap(d.caps));
    const p = parsePolicyText(editedPolicyYaml(SHOP, d), 'policy.yaml');
    expect(p.caps.map((c) => c.id)).toEqual(['sms-per-month', 'cap-2']);
    expect(p.caps[0]).toEqual({ id: 'sms-per-month', max: 2, campaign: true, channels: ['sms'], categories: ['marketing'] });
    expect(p.caps[1]).toEqual({ id: 'cap-2', max: 1, window: '24h', categories: ['marketing'] });
  });

  it('counts a cap one way only, with a start value for the new way', () => {
    expect(withCapCount({ id: 'a', max: 1, window: '24h' }, 'period')).toEqual({ id: 'a', max: 1, period: 'month' });
    expect(capCount({ period: 'week' })).toBe('period');
    expect(capCount({ campaign: true })).toBe('campaign');
    expect(capCount({ window: '7d' })).toBe('window');
  });

  it('edits, adds and removes quiet hours per channel', () => {
    const d = draftOf(SHOP);
    d.quietHours.sms = { ...d.quietHours.sms, from: '22:00' };
    delete d.quietHours.push;
    d.quietHours.email = { from: '23:00', to: '07:00' };
    const out = editedPolicyYaml(SHOP, d);
    expect(out).toContain('from: "22:00"');
    const p = parse(out);
    expect(Object.keys(p.quietHours)).toEqual(['sms', 'email']);
    expect(p.quietHours.email).toEqual({ from: '23:00', to: '07:00' });
  });

  it('edits the give-up rule in place (its comment stays), and switching it off removes it from the file', () => {
    const text = SHOP.replace('  after: 4\n', '  after: 4 # agreed with customer service\n');
    const d = draftOf(text);
    expect(d.giveUp).toEqual({ after: 4, within: '60d', pauseFor: '90d', answeredBy: ['order_paid', 'click'] });
    d.giveUp = { ...d.giveUp, after: 3, pauseFor: '120d', answeredBy: ['order_paid'] };
    const out = editedPolicyYaml(text, d);
    expect(out).toContain('after: 3 # agreed with customer service');
    expect(out).toContain('answeredBy: [order_paid]');
    expect(parsePolicyText(out, 'policy.yaml').giveUp).toMatchObject({ after: 3, within: '60d', pauseFor: '120d', answeredBy: ['order_paid'] });
    const off = editedPolicyYaml(text, { ...draftOf(text), giveUp: null });
    expect(parse(off).giveUp).toBeUndefined();
    expect(parsePolicyText(off, 'policy.yaml').giveUp).toBeUndefined();
    // Switched on again in a file without it: the page's start values.
    expect(parse(editedPolicyYaml(off, { ...draftOf(off), giveUp: newGiveUp() })).giveUp).toEqual(newGiveUp());
  });

  it('edits the suppression lists: block lists and block rules added and removed, the opt-out event changed, the rest of the file untouched', () => {
    const d = draftOf(SHOP);
    expect(d.suppression).toEqual({ unsubscribeEvent: 'unsubscribe', lists: ['do-not-contact'], segments: [] });
    d.suppression = { unsubscribeEvent: 'opt_out', lists: [], segments: ['vip-complaints'] };
    const out = editedPolicyYaml(SHOP, d);
    expect(parse(out).suppression).toEqual({ unsubscribeEvent: 'opt_out', lists: [], segments: ['vip-complaints'] });
    for (const comment of SHOP.split('\n').filter((l) => l.trim().startsWith('#'))) expect(out).toContain(comment);
    expect(out.replace(/suppression:[\s\S]*$/, '')).toBe(SHOP.replace(/suppression:[\s\S]*$/, ''));
    expect(editedPolicyYaml(SHOP, { ...draftOf(SHOP), suppression: { ...draftOf(SHOP).suppression, lists: ['do-not-contact', 'complaints'] } })).toContain('lists: [do-not-contact, complaints]');
  });

  it('writes nothing for parts a file without them still leaves empty', () => {
    const text = '# no limits yet\ngiveUp:\n  after: 3\n';
    expect(editedPolicyYaml(text, { caps: [], quietHours: {}, giveUp: { after: 3 }, suppression: {} })).toBe(text);
  });

  it('writes a file for a shop that had none', () => {
    const out = editedPolicyYaml('', { caps: [{ id: 'a', max: 1, period: 'day' }], quietHours: {}, giveUp: null, suppression: {} });
    expect(parsePolicyText(out, 'policy.yaml').caps).toEqual([{ id: 'a', max: 1, period: 'day', categories: ['marketing'] }]);
  });
});

describe('the contact-rules page says the policy in words', () => {
  it('says quiet hours, giving up and suppression in Chinese', () => {
    expect(quietHoursWords('zh', { from: '21:00', to: '09:00' })).toBe('21:00 至次日 09:00：所有消息（营销、关怀、交易通知）等到结束后再发（标为「紧急」的发送步骤除外）');
    expect(quietHoursWords('zh', { from: '12:00', to: '14:00', categories: ['marketing'] })).toMatch(/^12:00 至 14:00：营销消息等到/);
    expect(giveUpWords('zh', { after: 4, within: '60d', pauseFor: '90d', answeredBy: ['order_paid', 'click'] })).toBe('60 天内连续 4 次营销消息送达都没有回应（付款、点击链接）的顾客，暂停营销 90 天；再次购买立即恢复');
    expect(giveUpWords('zh', undefined)).toMatch(/^不设/);
    const suppression = suppressionWords('zh', { unsubscribeEvent: 'unsubscribe', lists: ['do-not-contact'], segments: [] });
    // A list without a title (GET /api/policy gave none): said as an untitled list, its name beside it, never the name alone.
    expect(suppression[1]).toEqual({ words: '屏蔽名单（名单里的顾客收不到营销）：', names: [{ text: '未命名名单（do-not-contact）', hint: 'rules/lists/do-not-contact.txt' }] });
    expect(suppression[2]).toEqual({ words: '屏蔽人群（符合的顾客收不到营销）：无', names: [] });
  });

  it('puts a rejected save\'s problems beside their fields, in Chinese', () => {
    const problems = policyProblems('zh', [
      '/tmp/x/rules/policy.yaml:8 caps.0.max: Too small: expected number to be >=0',
      '/tmp/x/rules/policy.yaml:20 quietHours.sms.from: a time of day HH:MM',
      '/tmp/x/rules/policy.yaml:9 caps.1.description: Too big: expected string to have <=200 characters',
      '/tmp/x/rules/policy.yaml:3 Unexpected scalar at node end',
    ]);
    expect(problems).toEqual([
      { field: 'caps.0.max', words: '「最多次数」不能小于 0' },
      { field: 'quietHours.sms.from', words: '「开始时间」需要一个时间，例如 09:00' },
      { field: 'caps.1.description', words: '「说明」最多 200 个字' },
      { field: null, words: '/tmp/x/rules/policy.yaml:3 Unexpected scalar at node end' },
    ]);
  });

  it('says in Chinese that someone else changed the rules when a save is refused as stale, and how to go on', () => {
    const stale = new ApiError(409, 'rules/policy.yaml was changed since version a1 …', [], { statusCode: 409, code: 'policy-changed', ifVersion: 'a1', version: 'b2' });
    const words = policyConflictWords('zh', stale);
    expect(words).toContain('有人修改了触达规则');
    expect(words).toContain('你的修改还显示在下面');
    // It names the button the page shows beside it.
    expect(words).toContain(`「${MESSAGES.zh['policy.reload'].replace(/（.*）$/, '')}」`);
    expect(policyConflictWords('en', stale)).toMatch(/^Not saved: someone changed the contact rules/);
    // Other failures keep their own words: a bad field (400), another conflict.
    expect(policyConflictWords('zh', new ApiError(400, 'policy not saved', []))).toBeNull();
    expect(policyConflictWords('zh', new ApiError(409, 'x', [], { code: 'segment-exists' }))).toBeNull();
  });
});

describe('the contact-rules page says why rules/policy.yaml could not be read', () => {
  const gbk = 'rules/policy.yaml:7: not UTF-8 text: it looks like GBK/GB18030 (what Windows editors in Chinese save by default); files under rules/ are read as UTF-8 only, save it as UTF-8 or convert it with: iconv -f gb18030 -t utf-8 rules/policy.yaml > rules/policy.yaml.utf8 && mv rules/policy.yaml.utf8 rules/policy.yaml';

  it('names the file, the line and the encoding in Chinese when the file is not UTF-8 (GET refused, or a save based on it)', () => {
    const refused = new ApiError(400, 'rules/policy.yaml is not valid', [gbk as never], { message: 'rules/policy.yaml is not valid', problems: [gbk] });
    expect(policyLoadProblems('zh', refused)).toBe('rules/policy.yaml 第 7 行：文件不是 UTF-8 编码（看起来是 GBK/GB18030，中文 Windows 记事本的默认编码）：请在编辑器里另存为 UTF-8，或让开发同事用 iconv 转换');
    expect(policyProblems('zh', [gbk])).toEqual([{ field: null, words: policyLoadProblems('zh', refused) }]);
    expect(policyLoadProblems('en', refused)).toBe(gbk);
    // A field's problem keeps its words; other failures are said by load-failure.ts.
    expect(policyLoadProblems('zh', new ApiError(400, 'x', ['rules/policy.yaml:8 caps.0.max: Too small: expected number to be >=0' as never]))).toBe('「最多次数」不能小于 0');
    expect(policyLoadProblems('zh', new ApiError(503, 'Service Unavailable'))).toBeNull();
    expect(policyLoadProblems('zh', new ApiError(403, 'Forbidden'))).toBeNull();
  });
});

describe('the contact-rules page says a refused give-up rule or suppression beside its field', () => {
  it('names the give-up count, a block list without its file, a block rule that does not exist and a shop cap id a journey uses, in Chinese', () => {
    const said = policyProblems('zh', [
      'rules/policy.yaml:24 giveUp.after: Too small: expected number to be >0',
      'rules/policy.yaml suppression.lists.1: block list "vip-complaints" has no file rules/lists/vip-complaints.txt (create it with rekindle lists import vip-complaints <file>)',
      'rules/policy.yaml suppression.segments.0: block rule "no-such-rule" is not in rules/segments/',
      'rules/policy.yaml caps.1.id: "d11-touches" is already the id of a cap of the journey double11-campaign (rules/flows/double11-campaign.flow.yaml caps.0): give the shop-wide cap another id (the send log and the designer name a cap by its id)',
    ]);
    expect(said.map((p) => p.field)).toEqual(['giveUp.after', 'suppression.lists.1', 'suppression.segments.0', 'caps.1.id']);
    expect(said[0].words).toMatch(/^「连续没有回应的次数」/);
    expect(said[1].words).toBe('屏蔽名单「vip-complaints」还没有名单文件（rules/lists/vip-complaints.txt）：请先导入名单，或不选它');
    expect(said[2].words).toBe('屏蔽人群「no-such-rule」不存在：请从列表里选一个已有的人群');
    expect(said[3].words).toBe('上限 ID「d11-touches」已被旅程「double11-campaign」自己的触达上限使用：发送记录和设计器按 ID 区分上限，请给全店的这条上限换一个 ID');
    for (const p of said) expect(p.words).not.toMatch(/[a-z]{4,} [a-z]{4,}/);
  });
});
