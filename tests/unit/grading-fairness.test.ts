/**
 * The engine's two decisions that are pure functions: whose problem a grader run without a verdict is
 * (`readOutcome`), and the fairness rule played forward for the queue estimate (`simulate`). The integration suite
 * (tests/integration/attacks.test.ts, 'grading fairness and crash handling') proves both through the real worker.
 */
import { describe, expect, it } from 'vitest';
import { InfraError, readOutcome } from '@/lib/grading/grade';
import path from 'node:path';
import { loadLab } from '@/lib/labs/registry';
import { resolveLimits } from '@/lib/grading/limits';
import { FAIRNESS, labWorstCaseMs, mayStart, simulate } from '@/lib/submissions/schedule';
import type { RunOutcome } from '@/lib/grading/sandbox';

const fixture = (id: string) => loadLab(path.resolve(import.meta.dirname, '..', 'fixtures', 'labs', id));
const lab = fixture('test-crash');
const limits = resolveLimits(lab.manifest.limits.grader);
const run = (o: Partial<RunOutcome>): RunOutcome => ({
  exitCode: null,
  stdout: Buffer.alloc(0),
  stderr: Buffer.alloc(0),
  stdoutTruncated: false,
  timedOut: false,
  oomKilled: false,
  exitKnown: true,
  durationMs: 10,
  removed: Promise.resolve(),
  ...o,
});

describe('a grader run without a verdict', () => {
  it("is the submission's result when the grader died of what it was fed", () => {
    const cases: [Partial<RunOutcome>, RegExp][] = [
      [{ exitCode: 137, oomKilled: true }, /out of memory \(its limit is 96 MB\)/],
      [{ exitCode: 134, stderr: Buffer.from('FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory') }, /out of memory/],
      [{ exitCode: 139 }, /stopped \(exit code 139, SIGSEGV\)/],
      [{ exitCode: 70 }, /stopped \(exit code 70\)/],
      [{ exitCode: null, stdout: Buffer.from('hello\n') }, /something other than its result/],
      [{ stdout: Buffer.from('{"gradable":true,"checks":[{"id":"nope","points":1,"passed":true}]}\n') }, /something other than its result/],
      [{ stdout: Buffer.from('{"gradable":true,"checks":[],"extra":1}\n') }, /something other than its result/],
      [{ stdout: Buffer.alloc(10), stdoutTruncated: true }, /more than the result size limit/],
    ];
    for (const [o, en] of cases) {
      const { result, stopped } = readOutcome(lab, run(o), limits, 10);
      expect(stopped).toBeTruthy();
      expect(result).toMatchObject({ gradable: true, score: 0 });
      expect(result.message?.en).toMatch(en);
      expect(result.message?.ko).toMatch(/채점기/);
      expect(result.checks.every((c) => !c.passed)).toBe(true);
    }
  });

  it('is an infrastructure failure (retried) when the engine, not the grader, failed', () => {
    const cases: Partial<RunOutcome>[] = [
      { exitCode: null, exitKnown: false }, // the engine stopped answering
      { exitCode: 0 }, // exited 0 and the output was lost on the way
      { exitCode: 137 }, // SIGKILL without the memory limit: killed from outside
      { exitCode: 143 }, // SIGTERM: the engine stopping
    ];
    for (const o of cases) expect(() => readOutcome(lab, run(o), limits, 10), JSON.stringify(o)).toThrow(InfraError);
  });

  it('takes a valid verdict whatever the exit code', () => {
    const { result, stopped } = readOutcome(
      lab,
      run({ exitCode: 1, stdout: Buffer.from('{"gradable":true,"checks":[{"id":"first","points":1,"passed":true}]}\n') }),
      limits,
      10,
    );
    expect(stopped).toBeUndefined();
    expect(result.score).toBe(1);
  });
});

describe('the fairness rule', () => {
  it('lets a learner take a second slot only for a short job while nobody else waits', () => {
    expect(mayStart(0, 200_000, true)).toBe(true);
    expect(mayStart(1, FAIRNESS.shortJobMs, false)).toBe(true);
    expect(mayStart(1, FAIRNESS.shortJobMs, true)).toBe(false);
    expect(mayStart(1, FAIRNESS.shortJobMs + 1, false)).toBe(false);
  });

  it("counts a build lab's two image builds in its worst case", () => {
    expect(labWorstCaseMs(fixture('test-echo').manifest)).toBe(8000);
    expect(labWorstCaseMs(fixture('test-slow').manifest)).toBe(30_000);
    expect(labWorstCaseMs(fixture('test-build').manifest)).toBe(15_000 + 2 * 20_000);
  });

  it('plays the queue forward: a learner with a slow job running waits, others take the free slots', () => {
    const worst = (labId: string) => (labId === 'slow' ? 60_000 : 5_000);
    // two slots; A's first slow job runs for 3 s more; A's second and third, then B's and C's, wait
    const starts = simulate(
      2,
      [{ userId: 'A', labId: 'slow', remainingMs: 3000 }],
      [
        { id: 'a2', userId: 'A', labId: 'slow', durationMs: 4000 },
        { id: 'a3', userId: 'A', labId: 'slow', durationMs: 4000 },
        { id: 'b1', userId: 'B', labId: 'slow', durationMs: 4000 },
        { id: 'c1', userId: 'C', labId: 'slow', durationMs: 4000 },
      ],
      worst,
    );
    expect(starts.get('b1')).toEqual({ position: 0, startMs: 0, finishMs: 4000 });
    expect(starts.get('a2')).toEqual({ position: 1, startMs: 3000, finishMs: 7000 });
    expect(starts.get('c1')).toEqual({ position: 2, startMs: 4000, finishMs: 8000 });
    expect(starts.get('a3')).toEqual({ position: 3, startMs: 7000, finishMs: 11_000 });
  });

  it('lets one learner use every slot for short jobs when nobody else waits', () => {
    const starts = simulate(
      2,
      [],
      [1, 2, 3].map((i) => ({ id: `a${i}`, userId: 'A', labId: 'fast', durationMs: 1000 })),
      () => 5_000,
    );
    expect([...starts.values()].map((s) => s.startMs)).toEqual([0, 0, 1000]);
  });
});
