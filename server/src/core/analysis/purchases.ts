/**
 * What the analyses read, independent of where the data comes from (the shop database or a
 * CDNOW file): paid purchases, and one summary row per customer.
 */
export interface Purchase {
  customerId: string | number;
  /** When the purchase counts (paidAt, else createdAt — as in the stored facts), epoch ms. */
  at: number;
  amount: number;
}

/** The per-customer figures RFM and the breakdowns use (the shape of the stored facts). */
export interface CustomerSummary {
  customerId: string | number;
  orderCount: number;
  totalSpent: number;
  lastOrderAt: number | null;
  province: string | null;
}

/** Builds customer summaries straight from purchases (CDNOW has no customer table). */
export function summariseCustomers(purchases: readonly Purchase[]): CustomerSummary[] {
  const by = new Map<string | number, CustomerSummary>();
  for (const p of purchases) {
    const s = by.get(p.customerId);
    if (!s) {
      by.set(p.customerId, { customerId: p.customerId, orderCount: 1, totalSpent: p.amount, lastOrderAt: p.at, province: null });
    } else {
      s.orderCount++;
      s.totalSpent += p.amount;
      if (s.lastOrderAt === null || p.at > s.lastOrderAt) s.lastOrderAt = p.at;
    }
  }
  // Same rounding as computeStoredFacts, so both sources agree to the cent.
  for (const s of by.values()) s.totalSpent = Math.round(s.totalSpent * 100) / 100;
  return [...by.values()];
}
