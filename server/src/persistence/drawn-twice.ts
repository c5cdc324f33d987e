/**
 * Whether a write failed because a freshly drawn random key was already held by another row: a
 * coupon code (the `coupons` primary key) or a link token (`uq_sends_link_token`). Both are drawn
 * by the stepper from the OS's CSPRNG and stored with their send; equal draws are vanishingly
 * rare but possible, and such a batch is stepped again so that it draws new ones (BatchUnit.run).
 * Any other constraint (a send's own idempotency key is passed over by ON CONFLICT, so it never
 * gets here) is a real failure and is not retried.
 *
 * SQLite: better-sqlite3's SqliteError, "UNIQUE constraint failed: coupons.code" with
 * code SQLITE_CONSTRAINT_PRIMARYKEY / SQLITE_CONSTRAINT_UNIQUE. PostgreSQL: error 23505 on table
 * `coupons`, key `(code)`, or on the constraint `uq_sends_link_token` (TypeORM's QueryFailedError
 * copies the driver's fields). Checked by fields, never `instanceof`: a native module's error
 * class may come from another realm (see tests/db/coupon-code-clash.test.ts).
 */
export function drawnTwice(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const x = e as { code?: unknown; message?: unknown; table?: unknown; constraint?: unknown; detail?: unknown };
  if (x.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || x.code === 'SQLITE_CONSTRAINT_UNIQUE') {
    return /UNIQUE constraint failed: (coupons\.code|sends\.link_token)$/.test(String(x.message));
  }
  if (x.code === '23505') {
    return (x.table === 'coupons' && /^Key \(code\)=/.test(String(x.detail ?? ''))) || x.constraint === 'uq_sends_link_token';
  }
  return false;
}
