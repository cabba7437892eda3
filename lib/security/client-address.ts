import { isIP } from 'node:net';
import { getEnv } from '../env';

/**
 * The client's address for per-address limits and the audit log.
 *
 * X-Forwarded-For is a list each hop appends to, so only its right end is trustworthy: with LMS_TRUSTED_PROXIES=N
 * (the number of reverse proxies in front of the web process, default 0) the client is the entry N from the right.
 * Entries the client wrote itself sit to the left of that and are ignored. With no proxy the web process is the
 * first hop: the right-most entry is then the socket address when server.ts (or Next, when the header is absent)
 * appended it.
 */
export function clientAddress(headers: Headers | Record<string, string | string[] | undefined>): string | null {
  const raw = headers instanceof Headers ? headers.get('x-forwarded-for') : headers['x-forwarded-for'];
  const value = Array.isArray(raw) ? raw.join(',') : raw;
  if (!value) return null;
  const hops = getEnv().LMS_TRUSTED_PROXIES;
  const list = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const pick = list[Math.max(0, list.length - 1 - hops)];
  if (!pick) return null;
  const bare = pick.replace(/^::ffff:/, '');
  return isIP(bare) ? bare : null;
}
