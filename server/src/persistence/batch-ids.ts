/**
 * The WHERE of a SQLite read of one stepping batch's rows by customer id (customers, their facts,
 * their last orders): exactly the batch's rows, for ids sorted ascending and unique.
 *
 * A batch whose ids leave no gap reads its id range (`BETWEEN`). Any other batch reads its ids as
 * ONE JSON array parameter (`IN (SELECT value FROM json_each(?))`: one statement text whatever the
 * batch's size, prepared once; SQLite walks the ids in order and finds each row by its key).
 * Before, a batch whose range held up to three times its rows read the whole range and threw the
 * others away in JS — after Double 11's entry tick ~1.4 rows read a row kept (customers and last
 * orders), and a row read into JS costs far more than a key lookup: at 100,000 customers, batches of
 * 1,000 customers' send columns, 890 M instructions (40 batches, no gap) by range; with gaps
 * (ids 1 in 1.1 / 1.4 / 2 / 3 of the range) 976 / 1,288 / 1,733 / 2,654 M by range against
 * 932–968 M by the JSON list (callgrind, bench/README.md, w-d11m). A 1,000-placeholder IN list
 * was ~5% cheaper still (881–915 M) but is a statement text per batch length, prepared anew.
 */
export function sqliteBatchIds(column: string, sortedIds: readonly number[]): { sql: string; params: unknown[] } {
  const n = sortedIds.length;
  if (n > 0 && sortedIds[n - 1] - sortedIds[0] + 1 === n) return { sql: `${column} BETWEEN ? AND ?`, params: [sortedIds[0], sortedIds[n - 1]] };
  return { sql: `${column} IN (SELECT value FROM json_each(?))`, params: [`[${sortedIds.join(',')}]`] };
}
