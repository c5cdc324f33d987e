/**
 * A load the designer cannot do without, tried again when the server could not answer it (no
 * connection, or 5xx while it restarts) instead of given up at the first failure. The shop's
 * catalogue (the step forms' schema, the audiences, the coupons…) used to be fetched once with its
 * error dropped: one failed fetch and a click on any card showed 旅程设置 instead of the step's form
 * until the page was reloaded. A refusal (4xx) is an answer and is not asked again (worthRetrying).
 */
export interface RetryOptions {
  /** The waits between tries, in ms: one more try than waits. */
  waits?: readonly number[];
  sleep?: (ms: number) => Promise<void>;
  /** Whether a failure is worth another try (default `worthRetrying`): a load may know answers of its own, e.g. a missing flow. */
  worth?: (e: unknown) => boolean;
}

export const CATALOGUE_WAITS = [500, 1_000, 2_000, 4_000, 8_000] as const;

/** The statuses of a server or gateway that could not answer for now (a restart, an overloaded proxy). */
const FOR_NOW = new Set([502, 503, 504]);

/**
 * Whether trying again might help: no answer at all (api-error.ts's NoAnswer: no connection, a
 * dropped one) or a server/gateway that cannot answer for now (502/503/504). Not a refusal (4xx),
 * not the server's own bug (500, the same again), and not a mistake in the designer's code (a
 * TypeError while converting a flow): asked again, those kept the marketer waiting half a minute
 * before the same failure showed.
 */
export function worthRetrying(e: unknown): boolean {
  if ((e as { noAnswer?: unknown } | null)?.noAnswer === true) return true;
  const status = (e as { status?: unknown } | null)?.status;
  return typeof status === 'number' && FOR_NOW.has(status);
}

export async function retried<T>(load: () => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const waits = opts.waits ?? CATALOGUE_WAITS;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const worth = opts.worth ?? worthRetrying;
  for (let i = 0; ; i++) {
    try {
      return await load();
    } catch (e) {
      if (i >= waits.length || !worth(e)) throw e;
      await sleep(waits[i]!);
    }
  }
}
