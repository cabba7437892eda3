/**
 * The engine's reading of a workspace agent's output (lib/workspaces/agent-link.ts): the learner owns the container and
 * can write anything on the agent's stdout, so every line is checked for its shape and size before a field is read.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { AgentLink, parseAgentMessage } from '@/lib/workspaces/agent-link';
import { MAX_LINE_BYTES } from '@/lib/workspaces/agent/protocol';
import { workspaceCap } from '@/lib/workspaces/cap';
import { resolveWorkspaceLimits, WORKSPACE_LIMITS, WORKSPACE_CEILING } from '@/lib/grading/limits';
import { labManifest } from '@/lib/labs/manifest';
import { workspaceHostConfig } from '@/lib/workspaces/container';

describe('agent messages', () => {
  it('accepts the known shapes and copies only their fields', () => {
    expect(parseAgentMessage('{"t":"ack","seq":3}')).toEqual({ t: 'ack', seq: 3 });
    expect(parseAgentMessage('{"t":"changed","files":[{"path":"main.tf","b64":"eA==","extra":1}],"deleted":["a.tf"],"refused":[],"x":2}')).toEqual({
      t: 'changed',
      files: [{ path: 'main.tf', b64: 'eA==' }],
      deleted: ['a.tf'],
      refused: [],
    });
    expect(parseAgentMessage('{"t":"req","req":1,"cmd":"check","args":[]}')).toEqual({ t: 'req', req: 1, cmd: 'check', args: [] });
  });

  it('refuses anything else: bad JSON, unknown types and commands, wrong field types, oversized lists and strings', () => {
    for (const line of [
      'not json',
      'null',
      '[]',
      '{"t":"ack","seq":"3"}',
      '{"t":"ack","seq":1.5}',
      '{"t":"shell","cmd":"rm -rf /"}',
      '{"t":"req","req":1,"cmd":"exec","args":[]}',
      '{"t":"req","req":1,"cmd":"check","args":[1]}',
      '{"t":"changed","files":[{"path":1,"b64":""}],"deleted":[],"refused":[]}',
      '{"t":"changed","files":{},"deleted":[],"refused":[]}',
      `{"t":"changed","files":[],"deleted":[${Array.from({ length: 501 }, () => '"a"').join(',')}],"refused":[]}`,
      `{"t":"changed","files":[{"path":"${'a'.repeat(301)}","b64":""}],"deleted":[],"refused":[]}`,
      '{"t":"state","seq":1,"files":[],"refused":[{"path":"x"}]}',
      '{"t":"ready","version":1,"tools":"x"}',
      '{"__proto__":{"t":"ack"},"seq":1}',
    ]) {
      expect(parseAgentMessage(line), line.slice(0, 80)).toBeNull();
    }
  });

  it('splits lines across chunks, drops a line past the size limit whole, and keeps reading after it', () => {
    const stream = new PassThrough();
    const link = new AgentLink(stream);
    const got: unknown[] = [];
    const bad: string[] = [];
    link.on('message', (m) => got.push(m));
    link.on('bad', (b: string) => bad.push(b));
    link.feed(Buffer.from('{"t":"ack",'));
    link.feed(Buffer.from('"seq":1}\n{"t":"ack","seq":2}\n'));
    const huge = Buffer.alloc(MAX_LINE_BYTES + 10, 0x61);
    link.feed(huge.subarray(0, 1000));
    link.feed(huge.subarray(1000));
    link.feed(Buffer.from('"t":"ack","seq":99}\n{"t":"ack","seq":3}\ngarbage\n'));
    expect(got).toEqual([
      { t: 'ack', seq: 1 },
      { t: 'ack', seq: 2 },
      { t: 'ack', seq: 3 },
    ]);
    expect(bad).toHaveLength(2);
  });

  it('a request resolves with its own ack, and with null on timeout or close', async () => {
    const stream = new PassThrough();
    const link = new AgentLink(stream);
    const sent: string[] = [];
    stream.on('data', (c: Buffer) => sent.push(c.toString()));
    const p = link.request({ op: 'flush' }, 1000);
    await new Promise((r) => setImmediate(r));
    const seq = JSON.parse(sent[0]!).seq as number;
    link.feed(Buffer.from(`{"t":"ack","seq":${seq + 100}}\n{"t":"ack","seq":${seq}}\n`));
    await expect(p).resolves.toEqual({ t: 'ack', seq });
    await expect(link.request({ op: 'flush' }, 50)).resolves.toBeNull();
    const q = link.request({ op: 'hello' }, 5000);
    stream.destroy();
    await expect(q).resolves.toBeNull();
  });
});

describe('workspace limits, cap and manifest', () => {
  it('a lab may lower or raise its workspace limits only up to the ceiling', () => {
    expect(resolveWorkspaceLimits(undefined)).toEqual(WORKSPACE_LIMITS);
    expect(resolveWorkspaceLimits({ memoryMb: 99_999, pids: 1, cpus: 8 })).toMatchObject({
      memoryMb: WORKSPACE_CEILING.memoryMb,
      pids: 1,
      cpus: WORKSPACE_CEILING.cpus,
    });
    expect(WORKSPACE_LIMITS.cpuShares).toBeLessThan(1024); // graders keep Docker's default 1024
  });

  it("the host configuration is the sandbox's with a work folder", () => {
    const hc = workspaceHostConfig(WORKSPACE_LIMITS);
    expect(hc).toMatchObject({
      NetworkMode: 'none',
      ReadonlyRootfs: true,
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      Privileged: false,
      LogConfig: { Type: 'none' },
      CpuShares: 256,
    });
    expect(hc.Memory).toBe(hc.MemorySwap);
    expect(hc.Tmpfs!['/work']).toMatch(/nosuid,nodev,size=64m/);
    expect(hc.Tmpfs!['/tmp']).toMatch(/noexec,nosuid,nodev/);
  });

  it('the cap is WORKSPACE_MAX, else 25 per grading slot', () => {
    expect(workspaceCap({ WORKER_CONCURRENCY: 2, WORKSPACE_MAX: undefined })).toBe(50);
    expect(workspaceCap({ WORKER_CONCURRENCY: 4, WORKSPACE_MAX: 7 })).toBe(7);
  });

  it('steps: unique ids, a verify needs a workspace', () => {
    const base = {
      id: 'week99-x',
      week: 1,
      title: { ko: 'a', en: 'a' },
      summary: { ko: 'a', en: 'a' },
      files: [{ path: 'a.txt' }],
      checks: [{ id: 'c', title: { ko: 'a', en: 'a' }, points: 1, hint: { ko: 'a', en: 'a' } }],
    };
    const step = { id: 's', title: { ko: 'a', en: 'a' }, text: { ko: 'a', en: 'a' }, verify: 'true' };
    expect(labManifest.safeParse({ ...base, workspace: {}, steps: [step] }).success).toBe(true);
    expect(labManifest.safeParse({ ...base, steps: [step] }).success).toBe(false);
    expect(labManifest.safeParse({ ...base, workspace: {}, steps: [step, step] }).success).toBe(false);
    expect(labManifest.safeParse({ ...base, workspace: { tools: ['docker'] } }).success).toBe(false);
  });
});
