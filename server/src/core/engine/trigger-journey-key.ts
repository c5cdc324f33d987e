/**
 * The journey key an event trigger reads from its event (`trigger.key`, e.g. orderId: one payment
 * reminder per order), or why it has none.
 *
 * A trigger without `key` keys every journey '' (one journey per customer at a time): that is its
 * meaning. A trigger WITH a key and an event that does not carry it is something else: the engine
 * used to read `properties[key] ?? ''` and start a journey keyed '' — a journey that the order's
 * `order_paid` (`match: {orderId: $key}`) can never end, so the customer was reminded to pay an
 * order already paid, and every later such event of the customer was refused as "already in a
 * journey". Such an event now starts no journey (refused `key-missing`, said in the customer's
 * journey view and once in the log), which is what a shop whose feed sends `order_id` or
 * `orderNo` instead of `orderId` needs to be told.
 */
export type TriggerKey = { ok: true; journeyKey: string } | { ok: false; got: unknown };

/** Text or a finite number identify a journey (the same value `match: $key` compares as text); nothing else does. */
export function triggerJourneyKey(properties: Readonly<Record<string, unknown>>, key: string | undefined): TriggerKey {
  if (!key) return { ok: true, journeyKey: '' };
  const v = properties[key];
  if (typeof v === 'string' && v.trim() !== '') return { ok: true, journeyKey: v };
  if (typeof v === 'number' && Number.isFinite(v)) return { ok: true, journeyKey: String(v) };
  return { ok: false, got: v };
}

/** The key of an event that has one (filtered by triggerJourneyKey before), '' for an unkeyed trigger. */
export function journeyKeyOf(properties: Readonly<Record<string, unknown>>, key: string | undefined): string {
  const k = triggerJourneyKey(properties, key);
  return k.ok ? k.journeyKey : '';
}

/** What the event carried instead of a usable key, to follow "the event has": "no orderId in its properties", "an empty orderId". */
export function missingKeyWords(key: string, got: unknown): string {
  if (got === undefined) return `no ${key} in its properties`;
  if (got === null || (typeof got === 'string' && got.trim() === '')) return `an empty ${key}`;
  const what = Array.isArray(got) ? 'a list' : typeof got === 'object' ? 'an object' : `${typeof got} ${JSON.stringify(got)}`;
  return `${key} as ${what}, not a text or number`;
}
