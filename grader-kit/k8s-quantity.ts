/**
 * Kubernetes resource quantities (k8s.io/apimachinery/pkg/api/resource): a decimal number followed by a binary SI
 * suffix (Ki, Mi, Gi, Ti, Pi, Ei), a decimal SI suffix (n, u, m, k, M, G, T, P, E) or a decimal exponent (e3, E-2).
 * Values are kept as exact fractions (BigInt), so "0.25" and "250m" compare equal.
 */
export interface Quantity {
  num: bigint;
  den: bigint;
}

const BINARY: Record<string, bigint> = { Ki: 1n << 10n, Mi: 1n << 20n, Gi: 1n << 30n, Ti: 1n << 40n, Pi: 1n << 50n, Ei: 1n << 60n };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

/** The quantity, or null when the text is not one (or is absurdly large). */
export function parseQuantity(v: unknown): Quantity | null {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return null;
    v = String(v);
  }
  if (typeof v !== 'string' || v.length > 64) return null;
  const m = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:(Ki|Mi|Gi|Ti|Pi|Ei)|(n|u|m|k|M|G|T|P|E)|[eE]([+-]?\d{1,3}))?$/.exec(v.trim());
  if (!m) return null;
  const [, sign, digits, bin, dec, exp] = m;
  const [int, frac = ''] = digits!.split('.');
  let num = BigInt((int || '0') + frac) * (sign === '-' ? -1n : 1n);
  let den = 10n ** BigInt(frac.length);
  if (bin) num *= BINARY[bin]!;
  else {
    const e = dec !== undefined ? DECIMAL[dec]! : exp !== undefined ? Number(exp) : 0;
    if (Math.abs(e) > 40) return null;
    if (e >= 0) num *= 10n ** BigInt(e);
    else den *= 10n ** BigInt(-e);
  }
  return { num, den };
}

/** -1, 0 or 1 as a is less than, equal to or greater than b. */
export function compareQuantity(a: Quantity, b: Quantity): number {
  const l = a.num * b.den;
  const r = b.num * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
}

/** A quantity in plain units for a message: memory in bytes (128Mi = "134,217,728 bytes"), CPU in cores ("0.6 CPU"). */
export function formatQuantity(q: Quantity, resource: 'cpu' | 'memory', lang: 'en' | 'ko' = 'en'): string {
  if (resource === 'memory') {
    const whole = q.num / q.den;
    const exact = whole * q.den === q.num;
    const n = `${exact ? '' : '~'}${whole.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;
    return lang === 'ko' ? `${n}바이트` : `${n} bytes`;
  }
  const milli = (q.num * 1000n) / q.den;
  const cores = Number(milli) / 1000;
  return `${cores} CPU`;
}
