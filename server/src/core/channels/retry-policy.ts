/**
 * Exponential-ish back-off from a list (default 1 min, 5 min, 30 min, 2 h): the wait after the
 * n-th failed attempt is backoff[n-1], the last value repeating. After `maxAttempts` attempts a
 * retryable failure becomes final.
 */
export interface RetryPolicy {
  maxAttempts: number;
  backoff: readonly number[];
}

/** When to try again after `attempt` failed at `now`; null when the send has used its attempts. */
export function nextAttemptAt(policy: RetryPolicy, attempt: number, now: number): number | null {
  if (attempt >= policy.maxAttempts) return null;
  return now + policy.backoff[Math.min(attempt, policy.backoff.length) - 1];
}
