/**
 * The grader kit's GitHub Actions reading (gha-workflow.ts, gha-expr.ts, actionlint.ts), shared by the labs of week 3.
 */
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { NotGradable, Submission } from './index';
import { lintWorkflow } from './actionlint';
import { probes, readWorkflows, simulateRun, upstreamOf, jobsRunning, type Probe } from './gha-workflow';
import type { Obj } from './yamldocs';

const jobs = (yaml: string) => YAML.parse(yaml) as Obj;
const run = (p: string, ps: Probe[]) => ps.find((x) => x.id === p)!;
const onPushAndPr = probes({ push: { branches: ['main'] }, pull_request: { branches: ['main'] } });
const pushMain = run('push:main', onPushAndPr);
const pr = run('pull_request', onPushAndPr);
const results = (j: Obj, p: Probe, fail?: string) =>
  Object.fromEntries([...simulateRun(j, p, { fail })].map(([k, v]) => [k, typeof v === 'symbol' ? 'unknown' : v]));

describe('which runs a workflow is triggered for', () => {
  it('one representative run per kind of trigger, filters as GitHub matches them', () => {
    expect(onPushAndPr.map((p) => p.id)).toEqual(['push:main', 'pull_request']);
    expect(probes({ push: { 'branches-ignore': ['main'] } }).map((p) => p.id)).toEqual(['push:feature/login', 'push:main-backup']);
    expect(probes('workflow_dispatch').map((p) => p.id)).toEqual(['dispatch:main', 'dispatch:feature']);
  });
});

describe('simulateRun: job results as GitHub decides them', () => {
  const chain = jobs(`
lint: { if: "github.event_name == 'pull_request'" }
test: {}
image: { needs: test }
deploy: { needs: [image, lint] }
`);
  it('a job skipped upstream skips the jobs that need it (the implicit success())', () => {
    expect(results(chain, pushMain)).toEqual({ lint: 'skipped', test: 'success', image: 'success', deploy: 'skipped' });
    expect(results(chain, pr)).toEqual({ lint: 'success', test: 'success', image: 'success', deploy: 'success' });
  });
  it('always() runs after a failure and a skip; !cancelled() with needs results runs after a skip only', () => {
    const always = { ...chain, deploy: { needs: ['image', 'lint'], if: 'always()' } };
    expect(results(always, pushMain, 'image').deploy).toBe('success');
    const careful = {
      ...chain,
      deploy: { needs: ['image', 'lint'], if: "${{ !cancelled() && needs.image.result == 'success' && needs.lint.result != 'failure' }}" },
    };
    expect(results(careful, pushMain).deploy).toBe('success');
    expect(results(careful, pushMain, 'image').deploy).toBe('skipped');
    expect(results(careful, pushMain, 'test')).toEqual({ lint: 'skipped', test: 'failure', image: 'skipped', deploy: 'skipped' });
  });
  it('success() and failure() look at every job upstream, not only the direct needs', () => {
    // first is skipped; second runs anyway; third's success() || failure() is still false because of first.
    const j = jobs(`
first: { if: "false" }
second: { needs: first, if: "always() && !contains(needs.*.result, 'failure')" }
third: { needs: second, if: "success() || failure()" }
`);
    expect(results(j, pushMain)).toEqual({ first: 'skipped', second: 'success', third: 'skipped' });
    expect([...upstreamOf(j, 'third')].sort()).toEqual(['first', 'second']);
    // failure() after a failure two jobs up
    const k = jobs(`
a: {}
b: { needs: a }
notify: { needs: b, if: "failure()" }
`);
    expect(results(k, pushMain, 'a')).toEqual({ a: 'failure', b: 'skipped', notify: 'success' });
    expect(results(k, pushMain)).toEqual({ a: 'success', b: 'success', notify: 'skipped' });
  });
  it('agrees with jobsRunning on runs where nothing fails', () => {
    for (const p of [pushMain, pr]) {
      const a = jobsRunning(chain, p);
      const b = simulateRun(chain, p);
      for (const [k, v] of a) expect(b.get(k) === 'success', `${p.id} ${k}`).toBe(v === true);
    }
  });
  it('leaves jobs in a needs cycle skipped, and what depends on unknown values unknown', () => {
    expect(results(jobs('a: { needs: b }\nb: { needs: a }\n'), pushMain)).toEqual({ a: 'skipped', b: 'skipped' });
    expect(results(jobs('a: { if: "vars.DEPLOY == \'yes\'" }\nb: { needs: a }\n'), pushMain)).toEqual({ a: 'unknown', b: 'unknown' });
  });
});

describe('reading workflow files', () => {
  const sub = (files: Record<string, string>) => new Submission(new Map(Object.entries(files).map(([k, v]) => [k, Buffer.from(v)])));
  it('reads the main workflow and every other workflow file; refuses a missing file or one without jobs', () => {
    const { main, files } = readWorkflows(
      sub({
        '.github/workflows/ci.yml': 'on: push\njobs:\n  a:\n    runs-on: x\n',
        '.github/workflows/deploy.yml': 'on: workflow_call\njobs: {}\n',
        'README.md': '',
      }),
      '.github/workflows/ci.yml',
    );
    expect(main.at(['jobs', 'a'])).toBe('.github/workflows/ci.yml:3');
    expect([...files.keys()]).toEqual(['.github/workflows/ci.yml', '.github/workflows/deploy.yml']);
    expect(() => readWorkflows(sub({}), '.github/workflows/ci.yml')).toThrow(NotGradable);
    expect(() => readWorkflows(sub({ '.github/workflows/ci.yml': 'on: push\n' }), '.github/workflows/ci.yml')).toThrow(/there are no jobs/);
  });
  it('runs actionlint from the kit', async () => {
    const findings = await lintWorkflow('on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    needs: nope\n    steps:\n      - run: "true"\n', 'x.yml');
    expect(findings.map((f) => f.kind)).toContain('job-needs');
  });
});
