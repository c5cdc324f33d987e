import { describe, expect, it } from '@jest/globals';
import { checkGraph } from '../../server/src/core/flow/graph-checks.js';
import { formatProblem } from '../../server/src/core/flow/problems.js';
import { ruleCatalogFromNames } from '../../server/src/core/flow/rule-references.js';
import { validateFlowText } from '../../server/src/core/flow/validate-flow.js';
import { isJourneyCheckWarning } from '../support/journey-check-warnings.js';
import { serverProblemWords } from '../../designer/src/model/server-problem-words.js';

const FILE = 'rules/flows/t.flow.yaml';
const RULES = ruleCatalogFromNames(['sleeping-high-value', 'unpaid-recent']);

/** A valid little flow; each test breaks one thing in it. */
const BASE = `id: t
name: Test flow
nodes:
  - id: start
    type: entry
    trigger: { type: event, event: order_created }
    next: wait-1
  - id: wait-1
    type: wait
    duration: 2h
    next: remind-2
  - id: remind-2
    type: send
    channel: sms
    category: transactional
    template: hi
    next: done
  - id: done
    type: exit
`;

function lineWith(text: string, needle: string, from = 0): number {
  const lines = text.split('\n');
  const i = lines.findIndex((l, k) => k >= from && l.includes(needle));
  if (i < 0) throw new Error(`fixture: no line with ${needle}`);
  return i + 1;
}

/** The validate output lines for a flow text. */
function messages(text: string): string[] {
  // Not the payment-reminder stop warning the base flow (order_created → wait → send, no exitOn) draws: reminder-stop-checks.ts has its own test.
  return validateFlowText(text, FILE, RULES)
    .problems.filter((p) => !/^this payment reminder is sent even when the order was paid meanwhile/.test(p.message) && !isJourneyCheckWarning(p))
    .map((p) => formatProblem(FILE, p));
}

describe('graph checks (file:line node id: message)', () => {
  it('the base flow is clean', () => {
    expect(messages(BASE)).toEqual([]);
  });

  it('an edge to a missing node', () => {
    const text = BASE.replace('    next: done', '    next: wait-x');
    expect(messages(text)).toContain(`${FILE}:${lineWith(text, 'next: wait-x')} node remind-2: edge "next" points to missing node "wait-x" (did you mean "wait-1"?)`);
  });

  it('a node unreachable from the single entry node', () => {
    const text = BASE + '  - id: orphan\n    type: exit\n';
    expect(messages(text)).toEqual([`${FILE}:${lineWith(text, 'id: orphan')} node orphan: node is unreachable from the entry node "start"`]);
  });

  it('a branch left unconnected, reported once (not also as a missing schema field)', () => {
    const text = BASE.replace(
      '    next: remind-2\n',
      '    next: check\n  - id: check\n    type: condition\n    rule: unpaid-recent\n    yes: remind-2\n',
    );
    expect(messages(text)).toEqual([`${FILE}:${lineWith(text, 'id: check')} node check: branch "no" is not connected to any node`]);
  });

  it('a loop that passes through no wait node, and none when the loop waits', () => {
    const loop = BASE.replace(
      '    next: done\n',
      '    next: paid\n  - id: paid\n    type: condition\n    rule: unpaid-recent\n    yes: remind-2\n    no: done\n',
    );
    expect(messages(loop)).toEqual([`${FILE}:${lineWith(loop, 'id: remind-2')} node remind-2: loop without a wait: remind-2 → paid → remind-2; add a wait or waitForEvent node so a customer cannot cycle through it at once`]);
    const waiting = loop.replace('    yes: remind-2\n', '    yes: wait-1\n');
    expect(messages(waiting)).toEqual([]);
  });

  it('exactly one entry node: a second one, and none at all', () => {
    const two = BASE + '  - id: start-2\n    type: entry\n    trigger: { type: event, event: order_paid }\n    next: done\n';
    expect(messages(two)).toEqual([`${FILE}:${lineWith(two, 'type: entry', lineWith(two, 'id: start-2') - 1)} node start-2: a flow needs exactly one entry node; "start" is already the entry`]);
    const none = BASE.replace('    type: entry\n    trigger: { type: event, event: order_created }\n', '    type: wait\n    duration: 1h\n');
    expect(messages(none)).toEqual([`${FILE}:${lineWith(none, 'nodes:')}: a flow needs exactly one entry node; there is none`]);
  });

  it('duplicate node ids', () => {
    const text = BASE.replace('  - id: done\n', '  - id: remind-2\n');
    const found = messages(text);
    expect(found).toContain(`${FILE}:${lineWith(text, 'id: remind-2', lineWith(text, 'next: done'))} node remind-2: duplicate node id "remind-2" (also node #3 in the list)`);
  });

  it('unknown rule names and unknown facts or operators in inline conditions', () => {
    const text = BASE.replace(
      '    next: remind-2\n',
      [
        '    next: layer',
        '  - id: layer',
        '    type: switch',
        '    cases:',
        '      - rule: sleeping-hig-value',
        '        next: remind-2',
        '      - conditions:',
        '          all:',
        '            - fact: orderCont',
        '              operator: greaterThan',
        '              value: 2',
        '            - fact: aov',
        '              operator: biggerThan',
        '              value: 2',
        '        next: remind-2',
        '    else: done',
        '',
      ].join('\n'),
    );
    const found = messages(text);
    expect(found).toHaveLength(3);
    expect(found[0]).toBe(`${FILE}:${lineWith(text, 'rule: sleeping-hig-value')} node layer: unknown rule "sleeping-hig-value" (no rules/segments/sleeping-hig-value.yaml; known: sleeping-high-value, unpaid-recent): did you mean "sleeping-high-value"?`);
    expect(found[1]).toMatch(new RegExp(`^${FILE}:${lineWith(text, 'fact: orderCont')} node layer: conditions\\.all\\[0\\]\\.fact: unknown fact "orderCont"`));
    expect(found[2]).toMatch(new RegExp(`^${FILE}:${lineWith(text, 'operator: biggerThan')} node layer: conditions\\.all\\[\\d\\]\\.operator: unknown operator "biggerThan"`));
  });

  it('an unknown entry segment', () => {
    const text = BASE.replace('trigger: { type: event, event: order_created }', 'trigger: { type: schedule, segment: nobody }');
    expect(messages(text)).toEqual([`${FILE}:${lineWith(text, 'trigger:')} node start: unknown rule "nobody" (no rules/segments/nobody.yaml; known: sleeping-high-value, unpaid-recent)`]);
  });

  it('a schema error in one node does not hide graph problems of the others', () => {
    const text = BASE.replace('channel: sms', 'channel: fax').replace('    next: remind-2', '    next: remind-x');
    const found = messages(text);
    expect(found).toEqual([
      `${FILE}:${lineWith(text, 'next: remind-x')} node wait-1: edge "next" points to missing node "remind-x" (did you mean "remind-2"?)`,
      expect.stringMatching(new RegExp(`^${FILE}:${lineWith(text, 'channel: fax')} node remind-2: channel: Invalid option`)),
    ]);
  });

  it('a mistyped next is one error: the nodes behind it are not also reported as unreachable', () => {
    const typo = BASE.replace('    next: remind-2', '    next: remnd-2');
    expect(messages(typo)).toEqual([`${FILE}:${lineWith(typo, 'next: remnd-2')} node wait-1: edge "next" points to missing node "remnd-2" (did you mean "remind-2"?)`]);
    // Nothing close: the nodes nothing points to may be where it was meant to go, so not reported either.
    const far = BASE.replace('    next: remind-2', '    next: something-else');
    expect(messages(far)).toEqual([`${FILE}:${lineWith(far, 'next: something-else')} node wait-1: edge "next" points to missing node "something-else"`]);
    // A node unreachable for another reason still is.
    const orphan = typo + '  - id: orphan\n    type: exit\n';
    expect(messages(orphan)).toContain(`${FILE}:${lineWith(orphan, 'id: orphan')} node orphan: node is unreachable from the entry node "start"`);
  });

  it('a mistyped node type is one error, not also every key of the type it was meant to be', () => {
    const text = BASE.replace('    type: send', '    type: sned');
    expect(messages(text)).toEqual([expect.stringMatching(new RegExp(`^${FILE}:${lineWith(text, 'type: sned')} node remind-2: unknown node type "sned"`))]);
  });

  it('a YAML syntax error is reported once, at its first line, not on every line the parser then loses', () => {
    const text = BASE.replace('duration: 2h', 'duration: [2h');
    const found = messages(text);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/not valid YAML/);
  });

  it('works on raw nodes for the designer, naming the node', () => {
    const problems = checkGraph([
      { id: 'start', type: 'entry', next: 'a' },
      { id: 'a', type: 'action', next: '' },
    ]);
    expect(problems).toEqual([{ path: ['nodes', 1, 'next'], nodeId: 'a', severity: 'error', message: 'branch "next" is not connected to any node' }]);
  });
});

describe('nodes that are not a list', () => {
  const problems = (text: string) => validateFlowText(text, FILE, RULES).problems.map((p) => formatProblem(FILE, p));

  it('says what nodes: should be, not that the flow has no entry node', () => {
    expect(problems('id: t\nname: Test flow\nnodes: x\n')).toEqual([`${FILE}:3: nodes: Invalid input: expected array, received string`]);
  });

  it('says nodes: is missing, not that the flow has no entry node', () => {
    expect(problems('id: t\nname: Test flow\n')).toEqual([`${FILE}:1: missing required "nodes"`]);
  });
});

describe('a value of the wrong type', () => {
  const problems = (text: string) => validateFlowText(text, FILE, RULES).problems.filter((p) => p.severity === 'error').map((p) => formatProblem(FILE, p));
  const split = (weight: string, holdout: string) => `id: t
name: Test flow
nodes:
  - id: start
    type: entry
    trigger: { type: event, event: order_created }
    next: pick
  - id: pick
    type: split
    arms:
      - { id: a, weight: ${weight}, next: done }
      - { id: holdout, weight: 10, holdout: ${holdout}, next: done }
  - id: done
    type: exit
`;

  it('says the value, the arm and the fix: a weight written with %, in quotes, or a holdout as "yes"', () => {
    expect(problems(split('90%', 'true'))).toEqual([`${FILE}:11 node pick: arms.0.weight: expected a number in arm "a", got "90%": write 90, without %`]);
    expect(problems(split('"90"', 'true'))).toEqual([`${FILE}:11 node pick: arms.0.weight: expected a number in arm "a", got the text "90": write 90 without quotes`]);
    expect(problems(split('90', '是'))).toEqual([`${FILE}:12 node pick: arms.1.holdout: expected true or false in arm "holdout", got "是": write true`]);
  });
});

describe('a one-off coupon whose threshold is not above its value', () => {
  const problems = (text: string) => validateFlowText(text, FILE, RULES).problems.filter((p) => p.severity === 'error');
  const flow = (coupon: string) => `id: t
name: Test flow
nodes:
  - id: start
    type: entry
    trigger: { type: event, event: order_created }
    next: give
  - id: give
    type: action
    action: { kind: issueCoupon, ${coupon} }
    next: sms
  - id: sms
    type: send
    channel: sms
    template: 【店】送你一张券
    coupon: { ${coupon} }
    next: done
  - id: done
    type: exit
`;

  it('is refused on the action and on the send (满10减15), as a coupon template is; none (0) or a higher one passes', () => {
    const bad = problems(flow('value: 15, minSpend: 10'));
    expect(bad.map((p) => [p.nodeId, p.path, p.message])).toEqual([
      ['give', 'nodes.1.action.minSpend', 'action.minSpend: minSpend must be above the coupon value (a 20 CNY coupon from 199 CNY), or 0 for none'],
      ['sms', 'nodes.2.coupon.minSpend', 'coupon.minSpend: minSpend must be above the coupon value (a 20 CNY coupon from 199 CNY), or 0 for none'],
    ]);
    expect(serverProblemWords(bad[0])).toMatch(/^「使用门槛（元）」要比优惠券面额高（例如 满199减20），或填 0 表示无门槛/);
    expect(problems(flow('value: 15, minSpend: 15'))).toHaveLength(2);
    expect(problems(flow('value: 15, minSpend: 0'))).toEqual([]);
    expect(problems(flow('value: 15, minSpend: 99'))).toEqual([]);
  });
});

describe('a wait without a time, or with two', () => {
  const problems = (wait: string) =>
    validateFlowText(`id: t\nname: Test flow\nnodes:\n  - id: start\n    type: entry\n    trigger: { type: event, event: order_created }\n    next: w\n  - id: w\n    type: wait\n${wait}    next: done\n  - id: done\n    type: exit\n`, FILE, RULES).problems.filter((p) => p.severity === 'error');

  it('says an empty wait is missing its time, not that it has more than one (the designer said 请只设置一种等待方式)', () => {
    const none = problems('');
    expect(none.map((p) => p.message)).toEqual(['duration: missing how long to wait: give one of duration (e.g. 2h, 3d), untilTime (e.g. 09:00) or untilDate']);
    expect(serverProblemWords(none[0])).toBe('请设置等待多久：时长（例如 2 小时、3 天）、等到几点或等到哪一天，三选一');
    const two = problems('    duration: 2h\n    untilTime: "09:00"\n');
    expect(two.map((p) => p.message)).toEqual(['duration: give exactly one of duration, untilTime, untilDate']);
    expect(problems('    duration: 2h\n')).toEqual([]);
  });
});
