/**
 * IPv4 CIDR blocks as unsigned 32-bit integers held in ordinary numbers (no bitwise operators, so nothing overflows),
 * for the labs that read network plans (weeks 1 and 6), and Terraform's cidrsubnet() and cidrsubnets() for the
 * Terraform evaluator (tf-model.ts).
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

/** The block, throwing a readable error when the text is not an IPv4 CIDR (for the function evaluator). */
export function parseCidrOrThrow(s: string): Cidr {
  const c = parseCidr(s);
  if (!c) throw new Error(`"${s}" is not an IPv4 CIDR block`);
  return c;
}

const TWO32 = 2 ** 32;

/** Clears the host bits: the address rounded down to a multiple of the block size. */
function networkOf(addr: number, prefix: number): number {
  const n = 2 ** (32 - prefix);
  return Math.floor(addr / n) * n;
}

function formatIp(a: number): string {
  return [Math.floor(a / 2 ** 24) % 256, Math.floor(a / 2 ** 16) % 256, Math.floor(a / 2 ** 8) % 256, a % 256].join('.');
}

export function formatCidr(c: Pick<Cidr, 'base' | 'prefix'>): string {
  return `${formatIp(c.base)}/${c.prefix}`;
}

/** Terraform's cidrsubnet(prefix, newbits, netnum): the netnum-th block of length prefix+newbits inside prefix. */
export function cidrsubnet(prefix: string, newbits: number, netnum: number): string {
  const p = parseCidrOrThrow(prefix);
  if (!Number.isInteger(newbits) || newbits < 0) throw new Error(`cidrsubnet: newbits must be a whole number, not ${newbits}`);
  const newPrefix = p.prefix + newbits;
  if (newPrefix > 32) throw new Error(`cidrsubnet: cannot extend /${p.prefix} by ${newbits} bits: that would make a /${newPrefix}, more than 32 bits`);
  if (!Number.isInteger(netnum) || netnum < 0) throw new Error(`cidrsubnet: netnum must be a whole number of 0 or more, not ${netnum}`);
  if (netnum >= 2 ** newbits) throw new Error(`cidrsubnet: netnum ${netnum} does not fit in ${newbits} bits (the largest is ${2 ** newbits - 1})`);
  return formatCidr({ base: p.base + netnum * 2 ** (32 - newPrefix), prefix: newPrefix });
}

/**
 * Terraform's cidrsubnets(prefix, newbits...): consecutive blocks, each aligned to its own size, in the order given.
 * Follows Terraform's implementation (go-cidr's PreviousSubnet/NextSubnet), including its error when space runs out.
 */
export function cidrsubnets(prefix: string, ...newbits: number[]): string[] {
  const p = parseCidrOrThrow(prefix);
  if (newbits.length === 0) return [];
  for (const n of newbits) {
    if (!Number.isInteger(n) || n < 1) throw new Error(`cidrsubnets: each newbits must be a whole number of at least 1, not ${n}`);
    if (p.prefix + n > 32) throw new Error(`cidrsubnets: would extend prefix to ${p.prefix + n} bits, which is too long for an IPv4 address`);
  }
  // PreviousSubnet(network, firstLength): the block of that length just before the network (wrapping below 0).
  const firstLen = p.prefix + newbits[0]!;
  let current = { base: networkOf((p.base - 1 + TWO32) % TWO32, firstLen), prefix: firstLen };
  const end = p.base + size(p);
  const out: string[] = [];
  for (const n of newbits) {
    const len = p.prefix + n;
    // NextSubnet(current, len): the block of length len that follows the one holding current's last address.
    const last = current.base + size(current) - 1;
    const holding = networkOf(last, len);
    const nextAddr = holding + 2 ** (32 - len);
    if (nextAddr >= TWO32 || nextAddr < p.base || nextAddr >= end) {
      throw new Error(`cidrsubnets: not enough remaining address space for a subnet with a prefix of ${len} bits after ${formatCidr(current)}`);
    }
    current = { base: nextAddr, prefix: len };
    out.push(formatCidr(current));
  }
  return out;
}
