import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { AUDIT_ACTION_WORDS, auditActionWords, auditActorWords, auditDetailShown, auditDetailWords, auditFlowNameWords, auditTargetWords, SCOPE_WORDS } from '../../designer/src/model/audit-words.js';
import { formatDateTime } from '../../designer/src/model/format.js';
import { AUDIT_ACTIONS } from '../../server/src/core/access/audit-actions.js';
import { SCOPES } from '../../server/src/core/access/roles.js';

/**
 * The actions the server's source writes to the audit log: the action of every
 * `audit.record({ … action: … })` and `cliAudit(ds, <action>, …)` line (a literal, a ternary of
 * literals, a map of literals), leaving out literals the action is compared with.
 */
function actionsInServerSource(): Set<string> {
  const files = readdirSync('server/src', { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).map((f) => join('server/src', f));
  const found = new Set<string>();
  for (const f of files) {
    for (const line of readFileSync(f, 'utf8').split('\n')) {
      const part = line.match(/\.record\(\{ actor: .*?action: (.*?), target: /)?.[1] ?? line.match(/cliAudit\(ds, (.*?), (?:`|'[a-z]+:)/)?.[1];
      if (!part) continue;
      for (const m of part.matchAll(/(=== )?'([a-z]+(?:-[a-z]+)*)'/g)) if (!m[1]) found.add(m[2]);
    }
  }
  return found;
}

describe('audit log words', () => {
  it('knows every action the server writes, and has words for each in both languages', () => {
    const written = actionsInServerSource();
    // The scan itself works: it finds the ones the reviewer saw.
    for (const a of ['sign-in', 'flow-published', 'draft-discarded', 'flow-paused', 'flow-stopped', 'block-list-changed']) expect(written).toContain(a);
    // A new action in the server is added to AUDIT_ACTIONS (AuditLog.record only takes those)…
    expect([...written].filter((a) => !(AUDIT_ACTIONS as readonly string[]).includes(a))).toEqual([]);
    // …and then needs words here.
    expect(AUDIT_ACTIONS.filter((a) => !AUDIT_ACTION_WORDS[a]?.zh || !AUDIT_ACTION_WORDS[a]?.en)).toEqual([]);
    // Words, not codes: no lower-case Latin (an acronym such as API may stay).
    for (const a of AUDIT_ACTIONS) expect(auditActionWords('zh', a)).not.toMatch(/[a-z]/);
    expect(auditActionWords('zh', 'flow-published')).toBe('发布旅程');
    expect(auditActionWords('zh', 'draft-discarded')).toBe('丢弃草稿');
    expect(auditActionWords('zh', 'sign-in')).toBe('登录');
    // One the designer does not know yet is marked as such, not shown as if it were words.
    expect(auditActionWords('zh', 'something-new')).toBe('其他操作（something-new）');
  });

  it('reads a detail in Chinese: a token\'s scopes and expiry, a published version, a lockout', () => {
    const when = (ms: number) => formatDateTime('zh', ms, 'Asia/Shanghai');
    const line = (d: Record<string, unknown>) => auditDetailWords('zh', d, when).map((p) => `${p.label}：${p.value}`).join('，');
    expect(line({ scopes: ['analyst'], expiresAt: null })).toBe('权限：分析师，有效期至：永不过期');
    expect(line({ scopes: ['events:write', 'metrics:read'], expiresAt: Date.parse('2026-11-30T20:11:03Z') })).toBe('权限：写入事件和订单（订单推送）、读取监控指标，有效期至：2026/12/01 04:11');
    expect(line({ version: 1, hash: 'abcdef0123456789abcdef' })).toBe('版本：v1，内容指纹：abcdef012345');
    // What the account sees: a marketer and an admin by role (an entry written before the server said so read 否), an analyst when granted.
    expect(line({ role: 'marketer', contactsVisible: true })).toBe('角色：营销，可见完整联系方式：是');
    expect(line({ role: 'marketer', contactsVisible: false })).toBe('角色：营销，可见完整联系方式：是');
    expect(line({ role: 'admin', contactsVisible: false })).toBe('角色：管理员，可见完整联系方式：是');
    expect(line({ role: 'analyst', contactsVisible: false })).toBe('角色：分析师，可见完整联系方式：否');
    expect(line({ role: 'analyst', contactsVisible: true })).toBe('角色：分析师，可见完整联系方式：是');
    expect(line({ ip: '127.0.0.1', by: 'account', limit: 5, retryAfterSeconds: 60 })).toBe('IP 地址：127.0.0.1，按：账号，失败次数上限：5，需等待：60 秒');
    expect(line({ format: 'csv', flowId: null, customerId: null, status: 'failed' })).toBe('格式：csv，旅程：全部，顾客：全部，发送状态：发送失败');
    // An analyst's send-log download: what it left out and masked, by the Excel file's column names.
    expect(line({ format: 'csv', flowId: 'd11', day: null, withheld: ['subject', 'body'], masked: ['last_error'] })).toBe('格式：csv，旅程：d11，计划发送日期：全部，未提供的列：标题、内容，联系方式打码的列：最近错误');
    expect(line({ withheld: ['subject', 'body'], masked: [] })).toBe('未提供的列：标题、内容，联系方式打码的列：无');
    // A block list given its title: the one it had (none, from before titles) and the one it has.
    expect(line({ file: 'rules/lists/bad-reviews.txt', titleBefore: null, title: '差评顾客' })).toBe('文件：rules/lists/bad-reviews.txt，原名单名称：无，名单名称：差评顾客');
    // Long texts (a policy file before and after) are shown below, not in the line.
    expect(line({ before: 'a: 1', after: 'a: 2' })).toBe('');
    expect(Object.keys(SCOPES).filter((s) => !SCOPE_WORDS[s])).toEqual([]);
  });

  it('names who did it and what an entry is about: kinds in words, names as stored', () => {
    expect(auditTargetWords('zh', 'flow:browser-reminder')).toEqual({ kind: '旅程', name: 'browser-reminder' });
    expect(auditTargetWords('zh', 'token:order-feed')).toEqual({ kind: 'API 令牌', name: 'order-feed' });
    expect(auditTargetWords('zh', 'export:sends')).toEqual({ kind: '导出', name: '发送记录' });
    expect(auditActorWords('zh', 'anonymous')).toBe('未登录');
    expect(auditActorWords('zh', 'rekindle')).toBe('系统');
    expect(auditActorWords('zh', 'cli:ops')).toBe('命令行 ops');
    expect(auditActorWords('zh', 'marketer')).toBe('marketer');
    expect(auditTargetWords('zh', 'rules/policy.yaml')).toEqual({ kind: '文件', name: 'rules/policy.yaml' });
  });

  it('reads a draft edit in Chinese: started, taken over, resumed after a pause, imported from a file', () => {
    const when = (ms: number) => String(ms);
    expect(auditActionWords('zh', 'draft-saved')).toBe('编辑草稿');
    expect(auditActionWords('zh', 'draft-imported')).toBe('从文件导入草稿');
    expect(auditDetailWords('zh', { started: true, revision: 1 }, when)).toEqual([{ label: '新草稿', value: '是' }, { label: '草稿修订号', value: '1' }]);
    expect(auditDetailWords('zh', { takenOverFrom: 'li.na', revision: 22 }, when)).toEqual([{ label: '接手自', value: 'li.na' }, { label: '草稿修订号', value: '22' }]);
    expect(auditDetailWords('zh', { resumedAfterMinutes: 45, revision: 23 }, when)[0]).toEqual({ label: '间隔后继续编辑', value: '45 分钟' });
    expect(auditDetailWords('zh', { file: '双十一.flow.yaml', revision: 25 }, when)[0]).toEqual({ label: '文件', value: '双十一.flow.yaml' });
  });
});

describe('audit words: a publish request that replaced another', () => {
  it('names the replaced request and who asked for it', () => {
    const when = (ms: number) => String(ms);
    expect(auditDetailWords('zh', { request: 5, replaced: [{ request: 4, requestedBy: 'chen' }] }, when)).toEqual([
      { label: '审批单', value: '#5' },
      { label: '取代了', value: '#4（chen 提交）' },
    ]);
  });
});

describe('audit words: a journey named as it was, a page of customers with contacts', () => {
  const when = (ms: number) => String(ms);

  it("names a journey by the name recorded with the entry, an older entry by its name now (said so), and leaves the name out of the detail", () => {
    const published = { target: 'flow:double11-campaign', detail: { name: '双十一预热', version: 1 }, targetName: '双十一预热', targetNameRecorded: true };
    expect(auditFlowNameWords('zh', published)).toBe('双十一预热');
    expect(auditFlowNameWords('zh', { target: 'flow:double11-campaign', targetName: '双十一大促', targetNameRecorded: false })).toBe('现名：双十一大促');
    expect(auditFlowNameWords('zh', { target: 'flow:gift-card', targetName: 'gift-card', targetNameRecorded: true })).toBeNull();
    expect(auditFlowNameWords('zh', { target: 'flow:gift-card' })).toBeNull();
    expect(auditDetailWords('zh', auditDetailShown(published), when)).toEqual([{ label: '版本', value: 'v1' }]);
    // A segment's name is its detail, not its target's.
    expect(auditDetailShown({ target: 'rules/segments/vip.yaml', detail: { name: '高价值' } })).toEqual({ name: '高价值' });
  });

  it('reads a page of customers with contacts: which list, the search, where the page starts, how many rows', () => {
    expect(auditActionWords('zh', 'contacts-listed')).toBe('查看含完整联系方式的顾客列表');
    expect(auditTargetWords('zh', 'customers:search')).toEqual({ kind: '顾客列表', name: '查询' });
    expect(auditTargetWords('zh', 'customers:recycle-bin')).toEqual({ kind: '顾客列表', name: '回收站' });
    const line = (d: Record<string, unknown>) => auditDetailWords('zh', d, when).map((p) => `${p.label}：${p.value}`).join('，');
    expect(line({ search: '138', offset: 0, pageSize: 20, rows: 3 })).toBe('搜索词：138，从第几条起：1，每页条数：20，行数：3');
    expect(line({ search: null, offset: 50, pageSize: 50, rows: 50 })).toBe('搜索词：无（全部顾客），从第几条起：51，每页条数：50，行数：50');
  });
});
