import type { OrderItem } from '../data/model.js';
import { skuInLink } from '../experiment/product-clicks.js';
import { Rng, seedFromText } from '../seed/prng.js';

/**
 * What a simulated purchase buys. Simulated orders had no items, so on a simulation's copy the
 * products-and-clicks report (商品与点击, `rekindle report --products`) listed no product: every
 * order counted as "without items", and the analyst's question of seed 004 (which products did the
 * responders buy) had no answer there. A simulated order now holds one line, drawn from the shop's
 * own catalogue (the products its orders hold, by how often they sell), priced at the order's
 * amount; a customer who bought after clicking a message whose link shows a product (its sku in
 * the link, as the report ties clicks to products) buys that product in LINKED_SHARE of cases.
 * Every draw is seeded by (seed, purchase), as the rest of the simulation.
 */

/** A product of the shop's catalogue as its orders sell it. */
export interface CatalogueProduct {
  sku: string;
  category: string;
  /** How many order lines hold it (the draw's weight). */
  sold: number;
}

export interface SimulationCatalogue {
  products: readonly CatalogueProduct[];
  /** Running sums of `sold`, for the weighted draw. */
  cumulative: readonly number[];
}

/** The share of buyers after a click who buy the product the message's link shows. */
export const LINKED_SHARE = 0.6;

export function simulationCatalogue(products: readonly CatalogueProduct[]): SimulationCatalogue {
  const sorted = [...products].sort((a, b) => b.sold - a.sold || a.sku.localeCompare(b.sku));
  let sum = 0;
  return { products: sorted, cumulative: sorted.map((p) => (sum += Math.max(1, p.sold))) };
}

/**
 * The line of a simulated order of `amount` (purchase `key`), or none when the shop sells nothing
 * the catalogue knows. `link`: the link of the message the customer clicked before buying.
 */
export function simulatedOrderItems(seed: number, key: string, amount: number, catalogue: SimulationCatalogue, link: string | null): OrderItem[] {
  const { products, cumulative } = catalogue;
  if (!products.length) return [];
  const rng = new Rng(seed, seedFromText(`items:${key}`));
  const linked = link ? products.find((p) => skuInLink(link, p.sku)) : undefined;
  let product: CatalogueProduct;
  if (linked && rng.next() < LINKED_SHARE) product = linked;
  else {
    const x = rng.next() * cumulative[cumulative.length - 1]!;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    product = products[lo]!;
  }
  return [{ sku: product.sku, category: product.category, quantity: 1, price: amount }];
}
