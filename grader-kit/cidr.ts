/**
 * IPv4 CIDR blocks as unsigned 32-bit integers held in ordinary numbers (no bitwise operators, so nothing overflows),
 * for the labs that read network plans (weeks 1 and 6).
 */
export interface Cidr {
  base: number;
  prefix: number;
  /** True when the text had host bits set (10.0.10.5/24): not a network address. */
  hostBits: boolean;
}

/** The block, or null when the text is not an IPv4 CIDR. */
export function parseCidr(s: unknown): Cidr | null {
  if (typeof s !== 'string') return null;
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(s.trim());
  if (!m) return null;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return null;
  const addr = octets[0]! * 2 ** 24 + octets[1]! * 2 ** 16 + octets[2]! * 2 ** 8 + octets[3]!;
  const size = 2 ** (32 - prefix);
  const base = Math.floor(addr / size) * size;
  return { base, prefix, hostBits: base !== addr };
}

/** The number of addresses in the block. */
export function size(c: Pick<Cidr, 'prefix'>): number {
  return 2 ** (32 - c.prefix);
}

export function contains(outer: Pick<Cidr, 'base' | 'prefix'>, inner: Pick<Cidr, 'base' | 'prefix'>): boolean {
  return inner.prefix >= outer.prefix && inner.base >= outer.base && inner.base + size(inner) <= outer.base + size(outer);
}

export function overlaps(a: Pick<Cidr, 'base' | 'prefix'>, b: Pick<Cidr, 'base' | 'prefix'>): boolean {
  return a.base < b.base + size(b) && b.base < a.base + size(a);
}
