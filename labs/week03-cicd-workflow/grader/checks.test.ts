import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { Submission, NotGradable, type GraderVerdict } from '../../../grader-kit/index';
import { labManifest } from '../../../lib/labs/manifest';
import { readCase, readVariant } from '../../../lib/labs/registry';
import { dependsOn, filterMatches, grade, jobsRunning, probes, topoOrder, WORKFLOW } from './checks';
import { actionlint, ACTIONLINT_VERSION, lintWorkflow } from '../../../grader-kit/actionlint';
import { asCondition, conditionSource, evaluate, OPEN, parseExpr, UNKNOWN } from '../../../grader-kit/gha-expr';

const LAB = path.resolve(import.meta.dirname, '..');
const manifest = labManifest.parse(YAML.parse(fs.readFileSync(path.join(LAB, 'lab.yaml'), 'utf8')));
const maxScore = manifest.checks.reduce((s, c) => s + c.points, 0);
const solution = fs.readFileSync(path.join(LAB, 'solution', WORKFLOW), 'utf8');
const files = (list: { path: string; content: Buffer }[]) => new Submission(new Map(list.map((f) => [f.path, f.content])));
const dirSub = (dir: string) => new Submission(new Map([[WORKFLOW, fs.readFileSync(path.join(LAB, dir, WORKFLOW))]]));
const wf = (text: string) => new Submission(new Map([[WORKFLOW, Buffer.from(text)]]));
const failed = (v: GraderVerdict) =>
  v.checks
    .filter((c) => !c.passed)
    .map((c) => c.id)
    .sort();
const score = (v: GraderVerdict) => v.checks.reduce((s, c) => s + c.points, 0);
const en = (v: GraderVerdict, id: string) => {
  const m = v.checks.find((c) => c.id === id)?.message;
  return typeof m === 'object' ? m.en : (m ?? '');
};
const edit = (...pairs: [string, string][]) => {
  let s = solution;
  for (const [from, to] of pairs) {
    expect(s).toContain(from);
    s = s.replace(from, to);
  }
  return wf(s);
};
const GUARD = "if: github.event_name == 'push' && github.ref == 'refs/heads/main'";
const T = 30_000;

describe('week 3 CI/CD workflow grader', () => {
  it('runs actionlint from WebAssembly and reports rule, line and column', async () => {
    const f = await actionlint('on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    needs: [b]\n    steps:\n      - run: "true"\n', 'x.yml');
    expect(f).toEqual([expect.objectContaining({ kind: 'job-needs', line: 3, column: 3 })]);
  });

  it('states the actionlint version it embeds, and the instructions state it too', () => {
    const wasm = fs.readFileSync(path.resolve(LAB, '..', '..', 'node_modules', '@tktco', 'node-actionlint', 'main.wasm'));
    expect(wasm.includes(Buffer.from(`github.com/rhysd/actionlint\tv${ACTIONLINT_VERSION}\t`))).toBe(true);
    for (const lang of ['ko', 'en']) expect(fs.readFileSync(path.join(LAB, `instructions.${lang}.md`), 'utf8')).toContain(`actionlint ${ACTIONLINT_VERSION}`);
  });

  it('scores the reference solution full marks with no actionlint finding', async () => {
    const v = await grade(dirSub('solution'));
    expect(v.checks.map((c) => c.id)).toEqual(manifest.checks.map((c) => c.id));
    expect(failed(v)).toEqual([]);
    expect(score(v)).toBe(maxScore);
    expect(await actionlint(solution, WORKFLOW)).toEqual([]);
  });

  it('pins actions of the solution to 40-character SHAs with a version comment on the same line', () => {
    const uses = solution.split('\n').filter((l) => /uses: /.test(l));
    expect(uses.length).toBeGreaterThan(4);
    for (const l of uses) expect(l).toMatch(/uses: [\w-]+\/[\w-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
  });

  it('keeps the starter below the pass mark', async () => {
    expect(score(await grade(dirSub('starter')))).toBeLessThan(maxScore * manifest.passRatio);
  });

  const cases = fs.readdirSync(path.join(LAB, 'cases'));
  it('has at least five known-wrong cases', () => expect(cases.length).toBeGreaterThanOrEqual(5));
  for (const c of cases) {
    it(`case ${c} fails exactly its expected checks, naming the file and line`, async () => {
      const rc = readCase(path.join(LAB, 'cases', c));
      const v = await grade(files(rc.files));
      expect(failed(v)).toEqual([...rc.expect.fail].sort());
      for (const id of rc.expect.fail) expect(en(v, id)).toMatch(/\.github\/workflows\/ci\.yml(:\d+)?/);
    });
  }

  const variants = fs.existsSync(path.join(LAB, 'variants')) ? fs.readdirSync(path.join(LAB, 'variants')) : [];
  it('has at least five variants', () => expect(variants.length).toBeGreaterThanOrEqual(5));
  for (const name of variants) {
    it(`variant ${name} scores full marks`, async () => {
      const v = await grade(files(readVariant(path.join(LAB, 'variants', name)).files));
      expect(v.checks.filter((c) => !c.passed).map((c) => `${c.id}: ${en(v, c.id)}`)).toEqual([]);
      expect(score(v)).toBe(maxScore);
    });
  }
});

describe('current GitHub Actions syntax that actionlint 1.7.7 does not know', () => {
  it('accepts YAML anchors and aliases (GitHub since 2025) and places findings on the lines written', async () => {
    const text = solution
      .replace('    branches: [main]\n  pull_request:\n    branches: [main]\n', '    branches: &main [main]\n  pull_request:\n    branches: *main\n')
      .replace(
        '      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1\n      - uses: actions/setup-node',
        '      - &checkout\n        uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1\n      - uses: actions/setup-node',
      )
      .replace('    steps:\n      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1\n', '    steps:\n      - *checkout\n');
    expect(text).toContain('*checkout');
    expect(text).toContain('*main');
    expect(await actionlint(text, WORKFLOW)).not.toEqual([]); // the embedded 1.7.7 refuses them on its own
    expect(await lintWorkflow(text, WORKFLOW)).toEqual([]);
    const v = await grade(wf(text));
    expect(failed(v)).toEqual([]);
    // A real problem inside an aliased block is reported where the learner wrote it: at the anchor and at the alias.
    const bad = text.replace('      - &checkout\n', "      - &checkout\n        if: github.evnt_name == 'push'\n");
    const f = await lintWorkflow(bad, WORKFLOW);
    const lines = bad.split('\n');
    const anchorIf = lines.findIndex((l) => l.includes('github.evnt_name')) + 1;
    const alias = lines.findIndex((l) => l.includes('- *checkout')) + 1;
    expect(f.map((x) => [x.kind, x.line])).toEqual([
      ['expression', anchorIf],
      ['expression', alias],
    ]);
  });

  it('refuses the merge key <<, which GitHub does not accept, with one clear finding', async () => {
    const v = await grade(files(readCase(path.join(LAB, 'cases', 'merge-key')).files));
    expect(en(v, 'actionlint')).toMatch(/ci\.yml:\d+:\d+: \[syntax-check\] GitHub Actions accepts YAML anchors and aliases but not the merge key "<<"/);
  });

  it.each([
    ['runs-on: ubuntu-slim', (s: string) => s.replace('runs-on: ubuntu-24.04', 'runs-on: ubuntu-slim')],
    ['runs-on: ubuntu-24.04-arm', (s: string) => s.replace('runs-on: ubuntu-24.04', 'runs-on: ubuntu-24.04-arm')],
    ['permissions: models: read', (s: string) => s.replace('permissions:\n  contents: read\n', 'permissions:\n  contents: read\n  models: read\n')],
    [
      'job.check_run_id',
      (s: string) =>
        s.replace(
          '      - run: npm test\n',
          '      - run: npm test\n      - run: echo "check run $CHECK_RUN"\n        env:\n          CHECK_RUN: ${{ job.check_run_id }}\n',
        ),
    ],
  ])('accepts %s', async (_, change) => {
    const text = change(solution);
    expect(text).not.toBe(solution);
    expect(await lintWorkflow(text, WORKFLOW)).toEqual([]);
  });
});

describe('reading what the workflow does', () => {
  it.each([
    [null, null, 'main', true],
    [['main'], null, 'main', true],
    ['main', null, 'main', true],
    [['main'], null, 'main-backup', false],
    [['releases/**', 'main'], null, 'main', true],
    [['ma*'], null, 'main', true],
    [['*'], null, 'feature/login', false],
    [['**'], null, 'feature/login', true],
    [['**', '!main'], null, 'main', false],
    [['!main', '**'], null, 'main', true],
    [null, ['dependabot/**'], 'main', true],
    [null, ['main'], 'main', false],
  ])('branch filter %j / ignore %j on %s: %s', (include, ignore, branch, want) => {
    expect(filterMatches(include, ignore, branch)).toBe(want);
  });

  it.each([
    ['push', ['push:main', 'push:feature/login', 'push:main-backup', 'push:tag']],
    [
      ['push', 'pull_request'],
      ['push:main', 'push:feature/login', 'push:main-backup', 'push:tag', 'pull_request'],
    ],
    [{ push: { branches: ['main'] }, pull_request: null }, ['push:main', 'pull_request']],
    [{ push: { tags: ['v*'] } }, ['push:tag']],
    [{ push: { branches: ['main'], tags: ['v*'] } }, ['push:main', 'push:tag']],
    [{ pull_request: { branches: ['develop'] } }, []],
    [{ pull_request_target: null, workflow_dispatch: null }, ['pull_request_target', 'dispatch:main', 'dispatch:feature']],
  ])('on: %j runs for %j', (on, want) => {
    expect(probes(on as never).map((p) => p.id)).toEqual(want);
  });

  const github = (event: string, ref: string) => ({ [OPEN]: true, event_name: event, ref, ref_name: ref.replace(/^refs\/(heads|tags)\//, '') });
  const cond = (src: string, event: string, ref: string) => {
    const s = conditionSource(src);
    if ('alwaysTrueTemplate' in s) return true;
    return asCondition(evaluate(parseExpr(s.expr), { contexts: { github: github(event, ref) }, needsOk: true }));
  };
  it.each([
    ["github.ref == 'refs/heads/main'", true, false, false],
    ["${{ github.ref == 'refs/heads/main' }}", true, false, false],
    ["github.ref_name == 'main'", true, false, false],
    ["github.REF_NAME == 'MAIN'", true, false, false], // GitHub compares strings ignoring case
    ["'refs/heads/main' == github.ref", true, false, false],
    ["github.event_name == 'push' && github.ref == 'refs/heads/main'", true, false, false],
    ["github.event_name != 'pull_request' && github.ref_name == 'main'", true, false, false],
    ["startsWith(github.ref, 'refs/heads/main')", true, false, true],
    ["endsWith(github.ref, '/main')", true, false, false],
    ['contains(fromJSON(\'["refs/heads/main"]\'), github.ref)', true, false, false],
    ["format('{0}/{1}', 'refs/heads', 'main') == github.ref", true, false, false],
    ["github.ref == 'main'", false, false, false],
    ["github.event_name == 'push'", true, false, true],
    ["github.ref == 'refs/heads/main' || github.event_name == 'pull_request'", true, true, false],
    ["!(github.event_name == 'pull_request')", true, false, true],
    ["success() && github.ref == 'refs/heads/main'", true, false, false],
    ['always()', true, true, true],
    ["${{ github.ref }} == 'refs/heads/main'", true, true, true], // text around ${{ }} is a string: always true
  ])('%s: push to main %s, pull request %s, push to main-backup %s', (src, main, pr, backup) => {
    expect(cond(src, 'push', 'refs/heads/main')).toBe(main);
    expect(cond(src, 'pull_request', 'refs/pull/42/merge')).toBe(pr);
    expect(cond(src, 'push', 'refs/heads/main-backup')).toBe(backup);
  });

  it('treats values it cannot know as unknown, and && / || short-circuit over them', () => {
    const c = (src: string) => asCondition(evaluate(parseExpr(src), { contexts: { github: github('pull_request', 'refs/pull/1/merge') }, needsOk: true }));
    expect(c("vars.DEPLOY == 'yes'")).toBe(UNKNOWN);
    expect(c("github.actor == 'alice'")).toBe(UNKNOWN);
    expect(c("vars.DEPLOY == 'yes' && github.ref == 'refs/heads/main'")).toBe(false);
    expect(c("vars.DEPLOY == 'yes' || github.event_name == 'pull_request'")).toBe(true);
    expect(() => parseExpr('('.repeat(200) + 'true' + ')'.repeat(200))).toThrow(/deeply/);
    expect(() => parseExpr(Array.from({ length: 600 }, () => 'true').join(' && '))).toThrow(/too many/);
  });

  it('walks a 3,000-job needs chain without recursion', () => {
    const jobs: Record<string, { needs?: string; if?: string }> = {};
    for (let i = 0; i < 3000; i++) jobs[`j${i}`] = i ? { needs: `j${i - 1}` } : {};
    jobs.j1500!.if = "github.event_name == 'push'";
    expect(topoOrder(jobs as never)).toHaveLength(3000);
    expect(dependsOn(jobs as never, 'j2999', 'j0')).toBe(true);
    expect(dependsOn(jobs as never, 'j0', 'j2999')).toBe(false);
    const pr = probes(['pull_request'])[0]!;
    expect(jobsRunning(jobs as never, pr).get('j2999')).toBe(false);
    jobs.j0!.needs = 'j2999'; // a cycle: nothing in it runs, and nothing hangs
    expect(topoOrder(jobs as never)).toHaveLength(0);
  });

  it(
    'grades a workflow whose needs chain is 2,600 jobs deep instead of crashing',
    async () => {
      let jobs = '';
      for (let i = 0; i < 2600; i++) jobs += `  j${i}:\n    runs-on: ubuntu-24.04\n${i ? `    needs: j${i - 1}\n` : ''}    steps: [{run: "true"}]\n`;
      const v = await grade(wf(`on: [push, pull_request]\njobs:\n${jobs}  test: {needs: j2599, runs-on: ubuntu-24.04, steps: [{run: npm ci}]}\n`));
      expect(v.gradable).toBe(true);
      expect(failed(v)).toContain('deploy-guard');
      expect(en(v, 'needs')).toMatch(/no build, deploy job/);
    },
    T,
  );
});

describe('equivalent forms accepted, near misses refused with the real problem', () => {
  it.each([
    ['ref_name guard', [GUARD, "if: github.ref_name == 'main'"]],
    ['guard wrapped in ${{ }}', [GUARD, "if: ${{ github.event_name == 'push' && github.ref == 'refs/heads/main' }}"]],
    ['read-all at the top', ['permissions:\n  contents: read\n\n# A newer', 'permissions: read-all\n\n# A newer']],
    ['permissions: {} at the top, each job its own', ['permissions:\n  contents: read\n\n# A newer', 'permissions: {}\n\n# A newer']],
    ['needs as a list through build', ['    needs: build\n', '    needs: [test, build]\n']],
    [
      'on: as a list with the guard on event and branch',
      ['on:\n  push:\n    branches: [main]\n  pull_request:\n    branches: [main]\n', 'on: [push, pull_request]\n'],
    ],
    ['workflow_dispatch too, guarded by the ref', ['  pull_request:\n    branches: [main]\n', '  pull_request:\n    branches: [main]\n  workflow_dispatch:\n']],
    ['no concurrency at all', ["concurrency:\n  group: ci-${{ github.ref }}\n  cancel-in-progress: ${{ github.event_name == 'pull_request' }}\n", '']],
    [
      'region through env:',
      ['          aws-region: ap-northeast-2\n', '          aws-region: ${{ env.AWS_REGION }}\n        env:\n          AWS_REGION: ap-northeast-2\n'],
    ],
    ['role from a repository variable', ['role-to-assume: arn:aws:iam::123456789012:role/github-deploy', 'role-to-assume: ${{ vars.AWS_DEPLOY_ROLE_ARN }}']],
    ['npm clean-install', ['      - run: npm ci\n      - run: npm test', '      - run: npm clean-install\n      - run: npm test']],
    [
      'a global tool install next to npm ci',
      ['      - run: npm ci\n      - run: npm test', '      - run: npm ci\n      - run: npm install -g npm@11\n      - run: npm test'],
    ],
  ] as [string, [string, string]][])('%s', async (_, pair) => {
    const v = await grade(edit(pair));
    expect(v.checks.filter((c) => !c.passed).map((c) => `${c.id}: ${en(v, c.id)}`)).toEqual([]);
  });

  it.each([
    ['deploy without any condition', [GUARD, ''], 'deploy-guard', /deploy also runs for a pull request/],
    ['a condition that is never true', [GUARD, "if: github.ref == 'main'"], 'deploy-guard', /false for a push to main too, so deploy never runs/],
    ['a condition on something unknowable', [GUARD, "if: vars.DEPLOY_ENABLED == 'true'"], 'deploy-guard', /depends on values outside the workflow/],
    ['a template that is always true', [GUARD, "if: ${{ github.ref }} == 'refs/heads/main'"], 'deploy-guard', /deploy also runs for a pull request/],
    [
      'cancel-in-progress on the deploy job',
      ['      group: deploy-production\n      cancel-in-progress: false', '      group: deploy-production\n      cancel-in-progress: true'],
      'deploy-guard',
      /the deploy job's concurrency has cancel-in-progress true/,
    ],
    [
      'contents: write on build',
      ['  build:\n    needs: test\n', '  build:\n    needs: test\n    permissions:\n      contents: write\n'],
      'deploy-guard',
      /the build job gets write access \(contents: write\)/,
    ],
    ['no id-token on deploy', ['      contents: read\n      id-token: write\n', '      contents: read\n'], 'deploy-guard', /may not request an OIDC token/],
    [
      'no configure-aws-credentials',
      [
        '      - uses: aws-actions/configure-aws-credentials@e6de054238d6b7531b4efff3b6587d9aade6a06c # v6.2.3\n        with:\n          role-to-assume: arn:aws:iam::123456789012:role/github-deploy\n          aws-region: ap-northeast-2\n',
        '',
      ],
      'deploy-guard',
      /never assumes the AWS role/,
    ],
    [
      'npm install in test',
      ['      - run: npm ci\n      - run: npm test', '      - run: npm install\n      - run: npm test'],
      'caching',
      /npm install may rewrite the lock file/,
    ],
    [
      'a branch ref for an action',
      ['actions/upload-artifact@bbbca2ddaa5d8feaa63e36b76fdaad77386f024f # v7.0.0', 'actions/upload-artifact@main'],
      'pinning',
      /ci\.yml:\d+ actions\/upload-artifact@main/,
    ],
    [
      'a short SHA',
      ['actions/upload-artifact@bbbca2ddaa5d8feaa63e36b76fdaad77386f024f # v7.0.0', 'actions/upload-artifact@bbbca2d # v7.0.0'],
      'pinning',
      /upload-artifact@bbbca2d/,
    ],
    [
      'a branch name in a script',
      ['      - run: npm test\n', '      - run: npm test\n      - run: git checkout "${{ github.head_ref }}"\n'],
      'injection',
      /ci\.yml:\d+:\d+: github\.head_ref/,
    ],
    ['push filtered away from main', ['  push:\n    branches: [main]\n', '  push:\n    branches: [develop]\n'], 'triggers', /leaves main out/],
  ] as [string, [string, string], string, RegExp][])('%s', async (_, pair, id, message) => {
    const v = await grade(edit(pair));
    expect(failed(v)).toContain(id);
    expect(en(v, id)).toMatch(message);
  });

  it('refuses actions/cache keyed on something other than the lock file', async () => {
    const text = solution
      .replaceAll('          cache: npm\n', '')
      .replace(
        '      - run: npm ci\n      - run: npm test',
        '      - uses: actions/cache@27d5ce7f107fe9357f9df03efb73ab90386fccae # v5.0.5\n        with:\n          path: ~/.npm\n          key: npm-cache\n      - run: npm ci\n      - run: npm test',
      );
    const v = await grade(wf(text));
    expect(failed(v)).toEqual(['caching']);
    expect(en(v, 'caching')).toMatch(/ci\.yml:\d+: dependencies are not cached/);
    const keyed = await grade(wf(text.replace('key: npm-cache', "key: npm-${{ hashFiles('package-lock.json') }}")));
    expect(failed(keyed)).toEqual([]);
  });

  it('accepts a pull request title passed through env:, refuses it expanded back with ${{ env.X }}', async () => {
    const good = await grade(
      edit([
        '      - run: npm test\n',
        '      - run: npm test\n      - run: echo "$TITLE"\n        env:\n          TITLE: ${{ github.event.pull_request.title }}\n',
      ]),
    );
    expect(failed(good)).toEqual([]);
    const bad = await grade(
      edit([
        '      - run: npm test\n',
        '      - run: echo "${{ env.TITLE }}"\n        env:\n          TITLE: ${{ github.event.pull_request.title }}\n      - run: npm test\n',
      ]),
    );
    expect(failed(bad)).toEqual(['injection']);
    expect(en(bad, 'injection')).toMatch(/env\.TITLE \(set from untrusted input\)/);
  });

  it('is not gradable without the workflow file, or with broken YAML', async () => {
    await expect(grade(new Submission(new Map([['notes.md', Buffer.from('hi')]])))).rejects.toBeInstanceOf(NotGradable);
    await expect(grade(wf('jobs: [1, 2\n'))).rejects.toThrow(/YAML/);
    await expect(grade(wf('name: nothing\n'))).rejects.toThrow(/no jobs/);
  });
});
