/**
 * A customer's phone as stored: a mainland mobile number as its 11 digits, whatever the file wrote
 * around them — `+86 139 1234 5678`, `+8613912345678`, `0086-139-1234-5678`, `139 1234 5678`,
 * `139-1234-5678` are all `13912345678`.
 *
 * Why: the shop's customer list and the seller center's export write the same number differently,
 * and each import overwrote the other's spelling (every re-import reported the customers
 * "updated"); searching a customer by the 11 digits the customer reads out missed `+86 139 1234
 * 5678`; and an SMS gateway is handed what is stored. Anything else (a landline, a Hong Kong or
 * foreign number) is kept as written: its grouping may carry meaning (area code, extension) and
 * the shop's gateway decides how to dial it.
 */
export function storedPhone(text: string): string {
  const compact = text.replace(/[\s\-().]/g, '');
  const m = /^(?:\+86|0086|86)?(1[3-9]\d{9})$/.exec(compact);
  return m ? m[1] : text;
}
