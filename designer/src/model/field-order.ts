/**
 * The order a form shows an object's fields in, where the schema's order (the file's) puts a
 * developer's field before the marketer's: a contact cap's 说明 first and its 代号 (the id the
 * file and the send log use) last, so Double-11's cap reads 「整个双十一活动每人最多 3 次营销触达」
 * at the top, not `d11-touches`. Other objects keep the schema's order.
 */
const FIRST: Readonly<Record<string, readonly string[]>> = { caps: ['description'] };
const LAST: Readonly<Record<string, readonly string[]>> = { caps: ['id'] };

export function fieldsInOrder<T>(path: string, entries: readonly [string, T][]): [string, T][] {
  const first = FIRST[path] ?? [];
  const last = LAST[path] ?? [];
  const rank = (k: string) => (first.includes(k) ? -1 : last.includes(k) ? 1 : 0);
  // Array.prototype.sort is stable: fields of the same rank keep the schema's order.
  return [...entries].sort((a, b) => rank(a[0]) - rank(b[0]));
}
