/**
 * Money in the experiment report is said without the float noise of adding it up: the simulated
 * launch's SMS arm (165 messages at ¥0.05) read `cost: 8.249999999999982` and `revenue:
 * 1881.5700000000002` in the JSON (and so to every tool reading it) while the text said ¥8.25.
 * A sub-fen price still adds up exactly: money is kept to a millionth of a yuan, not to the fen.
 */
import { describe, expect, it } from '@jest/globals';
import { buildReport, type ArmData } from '../../server/src/core/experiment/report.js';
import { ExperimentSchema } from '../../server/src/core/experiment/schema.js';

const x = ExperimentSchema.parse({ id: 'launch', window: '10d', responses: [{ event: 'order_paid' }] });
const sum = (v: number, n: number) => Array.from({ length: n }, () => v).reduce((s, c) => s + c, 0);

describe('the experiment report of money summed from the logs', () => {
  it('gives the cost, revenue and incremental revenue without float noise, and a sub-fen cost exactly', () => {
    const smsCost = sum(0.05, 165);
    const revenue = [279.9, 189.29, 299, 358.48, 189.9, 259, 148, 157.9].reduce((s, v) => s + v, 0.1 + 0.2 - 0.3);
    expect(smsCost).not.toBe(8.25); // the noise this is about
    const arms: ArmData[] = [
      { arm: 'b', weight: 45, holdout: false, assigned: 229, exposed: 165, responders: 8, revenue, messageCost: { sms: smsCost, push: sum(0.045, 3) }, couponCost: sum(0.1, 3) },
      { arm: 'holdout', weight: 10, holdout: true, assigned: 50, exposed: 0, responders: 4, revenue: 1133.52, messageCost: {}, couponCost: 0 },
    ];
    const [b] = buildReport({ experimentId: 'launch', flowId: 'f', nodeId: 'ab' }, x, arms, 'holdout').arms;
    expect(b.messageCost).toEqual({ sms: 8.25, push: 0.135 });
    expect(b.couponCost).toBe(0.3);
    expect(b.cost).toBe(8.685);
    expect(b.revenue).toBe(1881.47);
    expect(b.incrementalRevenue).toBe(Math.round((1881.47 / 229 - 1133.52 / 50) * 229 * 1e6) / 1e6);
    expect(b.roi).toBeCloseTo((b.incrementalRevenue! - 8.685) / 8.685, 12);
  });
});
