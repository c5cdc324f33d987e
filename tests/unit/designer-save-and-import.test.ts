import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { fill, importReplaceVars, readFlowFile } from '../../designer/src/model/flow-import.js';
import { MESSAGES } from '../../designer/src/model/i18n.js';
import { oneAtATime } from '../../designer/src/model/one-at-a-time.js';
import { failureWords, mayLeave, setLeaveGuard } from '../../designer/src/ui/leave-guard.js';

const zh = (key: string) => (MESSAGES.zh as Record<string, string>)[key] ?? key;

describe('importing a file over a journey', () => {
  it('reads a flow file, keeping the id of the journey it is imported into and telling the file\'s own', () => {
    const r = readFlowFile(readFileSync('rules/flows/payment-reminder.flow.yaml', 'utf8'), 'win-back-vip');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.flow.id).toBe('win-back-vip');
    expect(r.fileId).toBe('payment-reminder');
    expect(r.flow.nodes.length).toBeGreaterThan(3);
  });

  it('refuses a file that is no flow, naming the missing field (rules/coupons.yaml)', () => {
    const r = readFlowFile(readFileSync('rules/coupons.yaml', 'utf8'), 'win-back-vip');
    expect(r).toMatchObject({ ok: false, problem: { key: 'import.notFlow', vars: { field: 'nodes' } } });
    if (r.ok) return;
    expect(fill(zh(r.problem.key), r.problem.vars)).toBe('无法导入：这不是旅程文件，缺少步骤列表（字段 nodes）。当前旅程没有改变。');
  });

  it('refuses broken YAML with the line and column, in Chinese', () => {
    const r = readFlowFile('id: x\nnodes:\n  - id: a\n    type: [exit\n', 'f');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problem.key).toBe('import.yamlError');
    expect(Number(r.problem.vars.line)).toBeGreaterThanOrEqual(4);
    expect(fill(zh(r.problem.key), r.problem.vars)).toMatch(/^无法导入：文件不是有效的 YAML，第 \d+ 行第 \d+ 列有格式错误/);
  });

  it('refuses an empty file, a step without id, an unknown step type and a step id used twice, naming the field', () => {
    expect(readFlowFile('', 'f')).toMatchObject({ ok: false, problem: { key: 'import.empty' } });
    expect(readFlowFile('- a\n- b\n', 'f')).toMatchObject({ ok: false, problem: { key: 'import.notFlow' } });
    expect(readFlowFile('nodes: [{ type: exit }]', 'f')).toMatchObject({ ok: false, problem: { key: 'import.badStep', vars: { n: '1', field: 'nodes[0].id' } } });
    expect(readFlowFile('nodes: [{ id: a, type: exit }, { id: b, type: teleport }]', 'f')).toMatchObject({ ok: false, problem: { key: 'import.badStepType', vars: { id: 'b', type: 'teleport', field: 'nodes[1].type' } } });
    expect(readFlowFile('nodes: [{ id: a, type: exit }, { id: a, type: exit }]', 'f')).toMatchObject({ ok: false, problem: { key: 'import.sameStepId', vars: { id: 'a', field: 'nodes[1].id' } } });
  });

  it('says what a replacement replaces and that the id stays', () => {
    const current = { id: 'win-back-vip', name: 'VIP 召回', nodes: [{ id: 'a', type: 'exit' as const }] };
    const r = readFlowFile('id: payment-reminder\nname: 催付\nnodes: [{ id: s, type: entry }, { id: e, type: exit }]', current.id);
    if (!r.ok) throw new Error('not read');
    const vars = importReplaceVars(current, r.flow, r.fileId, 'payment-reminder.flow.yaml');
    expect(fill(zh('import.replaceBody'), vars)).toBe('文件 payment-reminder.flow.yaml 中的「催付」（2 个步骤）将替换当前旅程「VIP 召回」的名称、设置和全部 1 个步骤，并自动保存为草稿。');
    expect(fill(zh('import.idKeptOther'), vars)).toBe('旅程编号仍为 win-back-vip，不使用文件中的 payment-reminder。');
    expect(importReplaceVars(current, r.flow, 'win-back-vip', 'x.yaml').fileId).toBe('');
  });
});

describe('saving before leaving', () => {
  it('runs draft saves one after another, never two at once, and goes on after one fails', async () => {
    const log: string[] = [];
    let n = 0;
    let release: () => void = () => undefined;
    const run = oneAtATime(async () => {
      const i = ++n;
      log.push(`start ${i}`);
      if (i === 1) await new Promise<void>((r) => (release = r));
      log.push(`end ${i}`);
      if (i === 2) throw new Error('offline');
      return i;
    });
    const first = run();
    const second = run();
    const third = run();
    await Promise.resolve();
    expect(log).toEqual(['start 1']);
    release();
    expect(await first).toBe(1);
    await expect(second).rejects.toThrow('offline');
    expect(await third).toBe(3);
    expect(log).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
  });

  it('lets a view go only when its guard says so; a thrown guard keeps it; a removed guard no longer asks', async () => {
    expect(await mayLeave()).toBe(true);
    let answer = false;
    const remove = setLeaveGuard(async () => answer);
    expect(await mayLeave()).toBe(false);
    answer = true;
    expect(await mayLeave()).toBe(true);
    const removeThrowing = setLeaveGuard(async () => {
      throw new Error('boom');
    });
    remove(); // an older editor's clean-up does not remove the newer guard
    expect(await mayLeave()).toBe(false);
    removeThrowing();
    expect(await mayLeave()).toBe(true);
  });

  it('says why a save failed in the marketer\'s words', () => {
    expect(failureWords(zh, { kind: 'offline' })).toBe('连不上服务器');
    expect(failureWords(zh, { kind: 'refused', status: 500 })).toBe('服务器拒绝了保存，状态 500');
    expect(failureWords(zh, { kind: 'conflict' })).toBe('这个草稿在此期间在别处保存过（另一个标签页、窗口或别人）');
  });
});
