import type { OrderItem } from '../data/model.js';
import type { Season } from '../facts/season.js';
import { Weighted, type Rng } from './prng.js';

/**
 * The clothing catalogue. Each category has the seasons it is sold for and a typical price
 * (CNY); what a customer buys follows the calendar (dresses in summer, coats and knitwear in
 * autumn and winter), so "bought the same season last year" segments (seed 004) find people.
 */
interface Category {
  /** The category code stored on line items and read by rules (`categories contains dress`). */
  name: string;
  /** How the shop names it. */
  label: string;
  code: string;
  seasons: Season[];
  medianPrice: number;
}

export const CATEGORIES: Category[] = [
  { name: 'dress', label: '连衣裙', code: 'DR', seasons: ['spring', 'summer'], medianPrice: 169 },
  { name: 'tops', label: 'T恤', code: 'TS', seasons: ['spring', 'summer'], medianPrice: 69 },
  { name: 'shirt', label: '衬衫', code: 'SH', seasons: ['spring', 'autumn'], medianPrice: 119 },
  { name: 'pants', label: '裤子', code: 'PT', seasons: ['spring', 'summer', 'autumn', 'winter'], medianPrice: 129 },
  { name: 'coat', label: '外套', code: 'CT', seasons: ['autumn', 'winter'], medianPrice: 329 },
  { name: 'knitwear', label: '毛衣', code: 'KN', seasons: ['autumn', 'winter'], medianPrice: 189 },
  { name: 'skirt', label: '半身裙', code: 'SK', seasons: ['spring', 'summer', 'autumn'], medianPrice: 129 },
  { name: 'accessories', label: '配饰', code: 'AC', seasons: ['spring', 'summer', 'autumn', 'winter'], medianPrice: 39 },
];

/** Per season, how likely each category is in a basket (in-season categories dominate). */
const bySeason = new Map<Season, Weighted<Category>>(
  (['spring', 'summer', 'autumn', 'winter'] as Season[]).map((season) => [
    season,
    new Weighted(CATEGORIES.map((c) => [c, c.seasons.includes(season) ? (c.code === 'AC' ? 4 : 10) : 1] as const)),
  ]),
);

const ITEM_COUNT = new Weighted([[1, 66], [2, 24], [3, 7], [4, 2], [5, 1]] as const);
const SEASON_LETTER: Record<Season, string> = { spring: 'C', summer: 'X', autumn: 'Q', winter: 'D' };

export interface Basket {
  items: OrderItem[];
  amount: number;
}

/**
 * A basket bought in `season` of `year`. `priceLevel` is the customer's own (some buy the cheap
 * line, some the premium one); `discount` is the promotion's. Prices end in 9 like shop prices.
 */
export function basket(rng: Rng, season: Season, year: number, priceLevel: number, discount: number, wholesale: boolean): Basket {
  const n = ITEM_COUNT.pick(rng);
  const items: OrderItem[] = [];
  let amount = 0;
  for (let i = 0; i < n; i++) {
    const c = bySeason.get(season)!.pick(rng);
    const itemSeason = c.seasons.includes(season) ? season : rng.pick(c.seasons);
    const raw = c.medianPrice * priceLevel * discount * Math.exp(0.3 * rng.normal());
    const price = Math.max(9, Math.round(raw / 10) * 10 - 1);
    const quantity = wholesale ? rng.int(5, 20) : rng.chance(0.08) ? 2 : 1;
    const sku = `${c.code}${String(year % 100).padStart(2, '0')}${SEASON_LETTER[itemSeason]}${String(rng.int(1, 60)).padStart(3, '0')}`;
    items.push({ sku, category: c.name, season: itemSeason, quantity, price });
    amount += price * quantity;
  }
  return { items, amount };
}
