import { describe, expect, it } from 'vitest';
import { CEILING_LIMITS, DEFAULT_LIMITS, resolveLimits } from '@/lib/grading/limits';
import { hostConfig } from '@/lib/grading/sandbox';

describe('resolveLimits', () => {
  it("uses defaults, takes a lab's values and clamps them to the ceiling", () => {
    expect(resolveLimits(undefined)).toEqual(DEFAULT_LIMITS);
    expect(resolveLimits({ timeoutMs: 5000 }).timeoutMs).toBe(5000);
    expect(resolveLimits({ timeoutMs: 10_000_000, memoryMb: 1e6, pids: 1e6 })).toMatchObject({
      timeoutMs: CEILING_LIMITS.timeoutMs,
      memoryMb: CEILING_LIMITS.memoryMb,
      pids: CEILING_LIMITS.pids,
    });
  });
});

describe('hostConfig', () => {
  it('isolates the sandbox: no network, swap = memory, read-only root, no capabilities', () => {
    const h = hostConfig(DEFAULT_LIMITS);
    expect(h.NetworkMode).toBe('none');
    expect(h.Memory).toBe(h.MemorySwap);
    expect(h.ReadonlyRootfs).toBe(true);
    expect(h.CapDrop).toEqual(['ALL']);
    expect(h.SecurityOpt).toContain('no-new-privileges');
    expect(h.PidsLimit).toBe(DEFAULT_LIMITS.pids);
    expect(h.Privileged).toBe(false);
    expect(JSON.stringify(h)).not.toContain('docker.sock');
  });
});
