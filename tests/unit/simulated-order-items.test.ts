import { describe, expect, it } from '@jest/globals';
import { LINKED_SHARE, simulatedOrderItems, simulationCatalogue } from '../../server/src/core/channels/simulated-items.js';

/** What a simulated purchase buys: the shop's own products, by how often they sell; the linked one after a click. */
const CATALOGUE = simulationCatalogue([
  { sku: 'DR26A001', category: 'dress', sold: 60 },
  { sku: 'TS26A002', category: 'tops', sold: 30 },
  { sku: 'AC26A003', category: 'accessories', sold: 10 },
]);
const share = (items: { sku: string }[][], sku: string) => items.filter((l) => l[0]?.sku === sku).length / items.length;

describe('the products a simulated purchase buys', () => {
  it('is one line of a catalogue product, priced at the order, the same for the same seed and purchase', () => {
    const a = simulatedOrderItems(7, 'flow:n:1', 128.5, CATALOGUE, null);
    expect(a).toEqual([{ sku: expect.stringMatching(/^(DR|TS|AC)26A00\d$/), category: expect.any(String), quantity: 1, price: 128.5 }]);
    expect(simulatedOrderItems(7, 'flow:n:1', 128.5, CATALOGUE, null)).toEqual(a);
  });

  it('follows how often each product sells', () => {
    const items = Array.from({ length: 4000 }, (_, i) => simulatedOrderItems(7, `k${i}`, 10, CATALOGUE, null));
    expect(share(items, 'DR26A001')).toBeCloseTo(0.6, 1);
    expect(share(items, 'AC26A003')).toBeCloseTo(0.1, 1);
  });

  it("favours the product the clicked message's link shows", () => {
    const items = Array.from({ length: 4000 }, (_, i) => simulatedOrderItems(7, `k${i}`, 10, CATALOGUE, 'https://shop.example.com/item/AC26A003.html'));
    // The linked share, plus the linked product's own share of the rest.
    expect(share(items, 'AC26A003')).toBeCloseTo(LINKED_SHARE + (1 - LINKED_SHARE) * 0.1, 1);
    // A link that shows no product of the catalogue changes nothing.
    expect(simulatedOrderItems(7, 'k1', 10, CATALOGUE, 'https://shop.example.com/new/summer-dress')).toEqual(simulatedOrderItems(7, 'k1', 10, CATALOGUE, null));
  });

  it('names nothing when the shop has sold nothing with its lines', () => {
    expect(simulatedOrderItems(7, 'k', 10, simulationCatalogue([]), null)).toEqual([]);
  });
});
