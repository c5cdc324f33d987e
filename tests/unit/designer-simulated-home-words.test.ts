import { describe, expect, it } from '@jest/globals';
import { simulatedHomeWords } from '../../designer/src/model/simulated-home-words.js';

describe("the home row of a simulated flow says its figures are a simulation's, up to when", () => {
  it("says the simulation's last step in shop time, nothing for a live flow", () => {
    const at = Date.parse('2027-11-12T09:00:00+08:00');
    expect(simulatedHomeWords('zh', at, 'Asia/Shanghai')).toBe('模拟数据，截至 2027/11/12 09:00');
    expect(simulatedHomeWords('en', at, 'Asia/Shanghai')).toBe('simulated, up to 12/11/2027, 09:00');
    expect(simulatedHomeWords('zh', null)).toBeNull();
    expect(simulatedHomeWords('zh', undefined)).toBeNull();
  });
});
