import { isIP } from 'node:net';
import { z } from 'zod';

/**
 * REKINDLE_TRUST_PROXY: which proxies in front of the server Express believes about the client
 * (`X-Forwarded-For`, `X-Forwarded-Proto`), as Express' `trust proxy` (api/create-app.ts). Behind
 * the TLS proxy the deployment needs, without it `req.ip` is the proxy's address (every sign-in
 * audit shows it, and all staff share one bucket of the per-address sign-in limit) and `req.secure`
 * is false (the session cookie is never `Secure`).
 *
 * Accepted: a hop count (`1`: one proxy in front), or a comma-separated list of the proxies'
 * addresses, CIDR ranges and Express' names `loopback`, `linklocal`, `uniquelocal`. Not accepted:
 * `true` (trust every hop): then any client that reaches the port directly names its own address
 * and gets round the per-address limit; give the hop count or the proxy's address instead.
 * Unset: no proxy is believed (the forwarded headers are ignored).
 */
export type TrustProxy = number | string[] | false;

const NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/** An address, a CIDR range (address/prefix) or one of Express' names. */
function trustedEntry(entry: string): boolean {
  if (NAMES.includes(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (!family || rest.length) return false;
  if (prefix === undefined) return true;
  return /^\d+$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

const EXPECTED = 'expected a hop count (1 for one proxy in front) or the proxies\' addresses/CIDR ranges, comma-separated (loopback, linklocal, uniquelocal allowed)';

export const trustProxySchema = z
  .string()
  .trim()
  .transform((value, ctx): TrustProxy => {
    if (/^\d+$/.test(value)) return Number(value) === 0 ? false : Number(value);
    if (/^(false|no|off)$/i.test(value)) return false;
    if (/^(true|yes|on|all|\*)$/i.test(value)) {
      ctx.addIssue({ code: 'custom', message: 'trusting every proxy lets any client that reaches the server directly choose its own address; give the hop count (1 for one proxy in front) or the proxy\'s address' });
      return z.NEVER;
    }
    const entries = value.split(',').map((x) => x.trim()).filter(Boolean);
    if (!entries.length || entries.some((e) => !trustedEntry(e))) {
      ctx.addIssue({ code: 'custom', message: EXPECTED });
      return z.NEVER;
    }
    return entries;
  });
