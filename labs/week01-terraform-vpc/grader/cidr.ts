/** IPv4 CIDR arithmetic, with Terraform's cidrsubnet semantics. */
export interface Cidr {
  base: number; // network address as an unsigned 32-bit integer
  prefix: number;
}

export function parseCidr(s: string): Cidr {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(s.trim());
  if (!m) throw new Error(`"${s}" is not an IPv4 CIDR block`);
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) throw new Error(`"${s}" is not an IPv4 CIDR block`);
  const addr = ((octets[0]! << 24) >>> 0) + (octets[1]! << 16) + (octets[2]! << 8) + octets[3]!;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return { base: (addr & mask) >>> 0, prefix };
}

export function formatCidr(c: Cidr): string {
  const b = c.base;
  return `${b >>> 24}.${(b >>> 16) & 255}.${(b >>> 8) & 255}.${b & 255}/${c.prefix}`;
}

/** Terraform's cidrsubnet(prefix, newbits, netnum). */
export function cidrsubnet(prefix: string, newbits: number, netnum: number): string {
  const p = parseCidr(prefix);
  const newPrefix = p.prefix + newbits;
  if (!Number.isInteger(newbits) || newbits < 0 || newPrefix > 32) throw new Error(`cidrsubnet: cannot extend /${p.prefix} by ${newbits} bits`);
  if (!Number.isInteger(netnum) || netnum < 0 || netnum >= 2 ** newbits) throw new Error(`cidrsubnet: netnum ${netnum} does not fit in ${newbits} bits`);
  const base = (p.base + netnum * 2 ** (32 - newPrefix)) >>> 0;
  return formatCidr({ base, prefix: newPrefix });
}

export function size(c: Cidr): number {
  return 2 ** (32 - c.prefix);
}

export function contains(outer: Cidr, inner: Cidr): boolean {
  return inner.prefix >= outer.prefix && inner.base >= outer.base && inner.base + size(inner) <= outer.base + size(outer);
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.base < b.base + size(b) && b.base < a.base + size(a);
}
