/**
 * Port through which newly recorded customer events leave the data layer: the journey engine
 * implements it to wake enrollments waiting on an event. Only events inserted for the first time
 * are passed (duplicates by idempotency key never are), after their transaction has committed.
 */
export interface StoredCustomerEvent {
  id: number;
  customerId: number;
  type: string;
  properties: Record<string, unknown>;
  occurredAt: number;
  idempotencyKey: string;
  receivedAt: number;
}

export interface CustomerEventListener {
  onEvents(events: StoredCustomerEvent[]): Promise<void>;
}

/** Calls every listener in turn; a failing listener does not keep the others from hearing. */
export async function notifyListeners(listeners: readonly CustomerEventListener[], events: StoredCustomerEvent[]): Promise<Error[]> {
  const errors: Error[] = [];
  if (events.length === 0) return errors;
  for (const l of listeners) {
    try {
      await l.onEvents(events);
    } catch (e) {
      errors.push(e instanceof Error ? e : new Error(String(e)));
    }
  }
  return errors;
}
