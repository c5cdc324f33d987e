import { timingSafeEqual } from 'node:crypto';

/**
 * Who may scrape /metrics. The series carry no customer data, but they do describe the shop's
 * volumes, so they are not public:
 * - with METRICS_TOKEN set, a caller must send `Authorization: Bearer <METRICS_TOKEN>` (the
 *   `bearer_token` / `authorization` setting of a Prometheus scrape job), from anywhere;
 * - without it, only a caller on this machine (loopback, not forwarded by a proxy) may scrape.
 */
export type MetricsAccess = 'allowed' | 'token-required' | 'local-only';

export interface MetricsCaller {
  remoteAddress: string | undefined;
  authorization: string | undefined;
  /** X-Forwarded-For / Forwarded present: a proxy on this machine relays someone else. */
  forwarded: boolean;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

export function metricsAccess(token: string | undefined, caller: MetricsCaller): MetricsAccess {
  if (token) {
    const sent = /^Bearer\s+(.+)$/i.exec(caller.authorization ?? '')?.[1]?.trim() ?? '';
    const a = Buffer.from(sent);
    const b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b) ? 'allowed' : 'token-required';
  }
  return !caller.forwarded && LOOPBACK.test(caller.remoteAddress ?? '') ? 'allowed' : 'local-only';
}
