import { describe, expect, it } from '@jest/globals';
import { simulationCopyWords } from '../../designer/src/model/simulation-copy-words.js';

const FROM = Date.parse('2026-11-11T00:00:00+08:00');
const DAY = 86_400_000;

describe("the designer's banner on a server opened on a simulation's copy", () => {
  it('says in Chinese which simulation the copy holds and that nothing is sent and no journey moves on', () => {
    expect(simulationCopyWords('zh', { runs: [{ flowId: 'payment-reminder', from: FROM, to: FROM + DAY }] }, 'Asia/Shanghai')).toBe(
      '这是模拟副本（payment-reminder，2026/11/11 – 2026/11/12）：不会发送任何消息，旅程不会继续，也不能发布、暂停或停止旅程（草稿可以照常编辑）。这里的数字是模拟的结果，不是店铺的实时数据。',
    );
  });

  it('names every simulation run in the copy, in English too', () => {
    const copy = { runs: [{ flowId: 'payment-reminder', from: FROM, to: FROM + DAY }, { flowId: 'winback', from: FROM + 3 * DAY, to: FROM + 10 * DAY }] };
    expect(simulationCopyWords('en', copy, 'Asia/Shanghai')).toBe(
      "This is a simulation's copy (payment-reminder, 11/11/2026 – 12/11/2026; winback, 14/11/2026 – 21/11/2026): no message is sent, no journey moves on, and journeys are not published, paused or stopped here (drafts can be edited as usual). The figures here are the simulation's, not the shop's live data.",
    );
  });

  it('says nothing on the live shop', () => {
    expect(simulationCopyWords('zh', null)).toBeNull();
    expect(simulationCopyWords('zh', undefined)).toBeNull();
  });
});
