import { describe, expect, it } from '@jest/globals';
import { problemWords } from '../../designer/src/model/problem-words.js';
import { startPassed } from '../../designer/src/model/start-passed.js';
import { checkDates } from '../../server/src/core/flow/date-checks.js';

/**
 * Dates gone by, as a marketer sees them: the Problems panel and the publish dialog say the
 * server's past-date warnings with dates written as everywhere else in the designer
 * (2026/10/27 09:00, shop time), and the home list marks a never-published one-off journey
 * whose start has passed.
 */
const NOW = Date.parse('2026-11-30T10:00:00+08:00');
const flow = {
  id: 'd11',
  nodes: [
    { id: 'start', type: 'entry', trigger: { type: 'audience', segment: 'all', startAt: '2026-10-27T09:00:00+08:00' }, next: 'w' },
    { id: 'w', type: 'wait', untilDate: '2026-11-05T10:00:00+08:00', next: 'end' },
    { id: 'end', type: 'exit' },
  ],
};

describe('past dates in the designer', () => {
  it('says a past start and a past wait date in the designer\'s date format, without the offset', () => {
    const found = checkDates(flow, { now: NOW, timeZone: 'Asia/Shanghai' });
    const words = found.map((p) => problemWords('zh', { line: 0, nodeId: p.nodeId, path: p.path.join('.'), message: p.message, severity: p.severity }));
    expect(words[0]).toMatch(/^「开始时间」2026\/10\/27 09:00 已经过去（现在是 2026\/11\/30 10:00）：一发布，全部顾客会立刻同时进入/);
    expect(words[1]).toMatch(/2026\/11\/05 10:00 已经过去（现在是 2026\/11\/30 10:00）：这一步会立刻放行/);
    expect(words.join('\n')).not.toMatch(/\+08:00|2026-1/);
  });

  it('marks a never-published one-off journey whose start has passed, and nothing else', () => {
    const trigger = { type: 'audience', segment: 'all', startAt: '2026-10-27T09:00:00+08:00' };
    expect(startPassed({ version: null, trigger }, NOW)).toBe(true);
    expect(startPassed({ version: 1, trigger }, NOW)).toBe(false);
    expect(startPassed({ version: null, trigger: { ...trigger, startAt: '2026-12-12T09:00:00+08:00' } }, NOW)).toBe(false);
    expect(startPassed({ version: null, trigger: { type: 'event', event: 'order_created' } }, NOW)).toBe(false);
    expect(startPassed({ version: null, trigger: null }, NOW)).toBe(false);
  });
});
