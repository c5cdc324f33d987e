import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ruleCatalogFromNames } from '../../server/src/core/flow/rule-references.js';
import { hasErrors, validateFlowText } from '../../server/src/core/flow/validate-flow.js';
import { serverProblemWords } from '../../designer/src/model/server-problem-words.js';
import { isJourneyCheckWarning } from '../support/journey-check-warnings.js';

const RULES = ruleCatalogFromNames(['aud']);
const check = (text: string) => validateFlowText(text, 'rules/flows/t.flow.yaml', RULES).problems;

/** The walkthrough's journey: an A/B split, email then SMS, one shared 结束. */
const journey = (o: { exitOn?: string; goal?: boolean; sms?: string; category?: string; experiment?: boolean } = {}) => `id: t
name: 新品推荐
${o.exitOn ?? ''}nodes:
  - id: start
    type: entry
    trigger: { type: schedule, segment: aud, every: day, at: "10:00" }
    next: split-1
  - id: split-1
    type: split
    arms:
      - { id: a, weight: 90, next: email-1 }
      - { id: holdout, weight: 10, holdout: true, next: done }
${o.experiment ? '    experiment: { id: launch-test }\n' : ''}  - id: email-1
    type: send
    channel: email
    subject: 新品
    template: 新品上市
    next: wait-1
  - id: wait-1
    type: wait
    duration: 3d
    next: sms-1
  - id: sms-1
    type: send
    channel: sms
${o.category ? `    category: ${o.category}\n` : ''}    template: ${o.sms ?? '【示例旗舰店】新品上市 回T退订'}
    next: done
  - id: done
    type: exit
${o.goal ? '    goal: true\n' : ''}`;
const PAID = 'exitOn:\n  - event: order_paid\n';

describe('validate: a journey with no conversion goal', () => {
  it('warns on the flow (no node) when neither exitOn nor an exit step is a goal, in Chinese with the hint', () => {
    const ps = check(journey({ experiment: true })).filter(isJourneyCheckWarning);
    expect(ps).toHaveLength(1);
    expect(ps[0]).toMatchObject({ nodeId: null, severity: 'warning', path: 'exitOn', line: 1 });
    const words = serverProblemWords(ps[0])!;
    expect(words).toMatch(/^这个旅程没有设定转化目标：首页和模拟的「转化」会一直是 0/);
    expect(words).toMatch(/「付款」.*「算作转化」/);
    expect(words).toMatch(/对照组.*也会被算作转化/);
  });

  it('says nothing once exitOn has a goal event (goal defaults to true) or an exit step has goal: true', () => {
    expect(check(journey({ experiment: true, exitOn: PAID })).filter(isJourneyCheckWarning)).toEqual([]);
    expect(check(journey({ experiment: true, goal: true })).filter(isJourneyCheckWarning)).toEqual([]);
  });

  it('still warns when every exitOn event is goal: false (a cancellation ends the journey, converting nobody)', () => {
    const ps = check(journey({ experiment: true, exitOn: 'exitOn:\n  - event: order_cancelled\n    goal: false\n' })).filter(isJourneyCheckWarning);
    expect(ps.map((p) => [p.path, p.line])).toEqual([['exitOn', 3]]);
  });

  it('says nothing of a journey of care and transactional messages alone (post-purchase care): it has no purchase to wait for', () => {
    const care = journey({ experiment: true, category: 'care', sms: '【示例旗舰店】宝贝用得满意吗' }).replace('template: 新品上市', 'category: transactional\n    template: 已发货');
    expect(check(care).filter(isJourneyCheckWarning)).toEqual([]);
  });
});

describe('validate: what carriers ask of an SMS', () => {
  it('warns on the template of an SMS without 【签名】 at its start or end, of any category', () => {
    const ps = check(journey({ experiment: true, exitOn: PAID, sms: '新品上市 回T退订' })).filter(isJourneyCheckWarning);
    expect(ps).toHaveLength(1);
    expect(ps[0]).toMatchObject({ nodeId: 'sms-1', severity: 'warning', path: 'nodes.4.template' });
    expect(serverProblemWords(ps[0])).toBe('短信没有【签名】，运营商会拒发：请在「消息内容」开头加上店铺签名，例如【示例旗舰店】');
    expect(check(journey({ experiment: true, exitOn: PAID, category: 'transactional', sms: '已发货' })).filter(isJourneyCheckWarning).map((p) => p.message.slice(0, 28))).toEqual(['this SMS has no signature: c']);
  });

  it('takes the signature at the end as well', () => {
    expect(check(journey({ experiment: true, exitOn: PAID, sms: '新品上市 回T退订【示例旗舰店】' })).filter(isJourneyCheckWarning)).toEqual([]);
  });

  it('warns on a marketing SMS without 退订, not on a transactional or care one', () => {
    const ps = check(journey({ experiment: true, exitOn: PAID, sms: '【示例旗舰店】新品上市' })).filter(isJourneyCheckWarning);
    expect(ps.map((p) => [p.nodeId, p.path])).toEqual([['sms-1', 'nodes.4.template']]);
    expect(serverProblemWords(ps[0])).toBe('营销短信没有退订方式，运营商会拒发：请在「消息内容」末尾加上「回T退订」');
    expect(check(journey({ experiment: true, exitOn: PAID, category: 'care', sms: '【示例旗舰店】宝贝用得满意吗' })).filter((p) => p.nodeId === 'sms-1')).toEqual([]);
  });
});

describe('validate: a split that is no experiment', () => {
  it('warns on the split, in Chinese naming 「+ 实验」', () => {
    const ps = check(journey({ exitOn: PAID })).filter(isJourneyCheckWarning);
    expect(ps).toHaveLength(1);
    expect(ps[0]).toMatchObject({ nodeId: 'split-1', severity: 'warning', path: 'nodes.1.experiment' });
    expect(serverProblemWords(ps[0])).toMatch(/^这个分流还没有设成实验：发布后不会有分组对比结果.*「\+ 实验」/);
  });
});

describe('validate: an experiment on a split drawn per journey', () => {
  const perJourney = (by: string) => journey({ exitOn: PAID, experiment: true }).replace('    type: split\n', `    type: split\n    by: ${by}\n`);

  it('warns on its by line that later journeys of a customer are left out of every arm, in Chinese naming 分组依据', () => {
    const ps = check(perJourney('journey')).filter((p) => /drawn per journey/.test(p.message));
    expect(ps).toHaveLength(1);
    expect(ps[0]).toMatchObject({ nodeId: 'split-1', severity: 'warning', path: 'nodes.1.by', line: 12 });
    expect(ps[0].message).toMatch(/counts each customer once, in the arm of their first journey.*use by: customer/);
    expect(serverProblemWords(ps[0])).toMatch(/^这个实验的「分组依据」是按旅程：.*不计入任何一组的人数、成本和响应.*改为按顾客$/);
  });

  it('says nothing by customer, nor of a split per journey that is no experiment', () => {
    expect(check(perJourney('customer')).filter((p) => /drawn per journey/.test(p.message))).toEqual([]);
    expect(check(journey({ exitOn: PAID }).replace('    type: split\n', '    type: split\n    by: journey\n')).filter((p) => /drawn per journey/.test(p.message))).toEqual([]);
  });
});

describe('validate: the three are warnings', () => {
  it('a journey with all of them has no error (publishing is not refused)', () => {
    const ps = check(journey({ sms: '新品上市' }));
    expect(ps.filter(isJourneyCheckWarning)).toHaveLength(4);
    expect(hasErrors(ps)).toBe(false);
  });

  it('the shipped flows draw none of them', () => {
    const dir = 'rules/flows';
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.flow.yaml'))) {
      expect([f, validateFlowText(readFileSync(join(dir, f), 'utf8'), f, RULES).problems.filter(isJourneyCheckWarning)]).toEqual([f, []]);
    }
  });
});
