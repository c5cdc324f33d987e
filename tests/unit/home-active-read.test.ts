import { describe, expect, it } from '@jest/globals';
import { activeRead, LOOKUP_COST } from '../../server/src/persistence/active-by-flow.js';

/**
 * The journeys home counts the journeys in each flow now from the journeys under way when the
 * history is much longer (a shop months into its journeys), and from index ranges of the history
 * when most journeys are under way (a Double 11 the day it starts), with no index for the engine
 * to write (bench/README: the widened wake index was taken out for slowing Double 11).
 */
describe('how the journeys home reads the active count', () => {
  it('reads the journeys under way when the history is long: 3,000 waiting of 653,000', () => {
    expect(activeRead(3_000, 653_000)).toBe('active-rows');
  });
  it('counts index ranges when most journeys are under way: a Double 11 of 1M waiting', () => {
    expect(activeRead(1_000_000, 1_050_000)).toBe('all-minus-ended');
    expect(activeRead(1_000, LOOKUP_COST * 1_000)).toBe('all-minus-ended');
    expect(activeRead(0, 0)).toBe('all-minus-ended');
  });
});
