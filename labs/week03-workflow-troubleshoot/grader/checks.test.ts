import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { NotGradable, Submission, type GraderVerdict } from '../../../grader-kit/index';
import { labManifest, maxPoints } from '../../../lib/labs/manifest';
import { labSubmissionDirs, readCase, readVariant, type Lab } from '../../../lib/labs/registry';
import { graderOutput } from '../../../lib/grading/result';
import { CHECK_IDS, POINTS, WORKFLOW, dockerLoadInput, grade, keyProblem, normalisePath } from './checks';

const LAB = path.resolve(import.meta.dirname, '..');
const manifest = labManifest.parse(YAML.parse(fs.readFileSync(path.join(LAB, 'lab.yaml'), 'utf8')));
const lab: Lab = { manifest, dir: LAB };
const MAX = maxPoints(manifest);
const T = 30_000;

const solution = fs.readFileSync(path.join(LAB, 'solution', WORKFLOW), 'utf8');
const starter = fs.readFileSync(path.join(LAB, 'starter', WORKFLOW), 'utf8');
const wf = (text: string) => new Submission(new Map([[WORKFLOW, Buffer.from(text)]]));
const total = (v: GraderVerdict) => v.checks.reduce((s, c) => s + c.points, 0);
const failed = (v: GraderVerdict) =>
  v.checks
    .filter((c) => !c.passed)
    .map((c) => c.id)
    .sort();
const en = (v: GraderVerdict, ...ids: string[]) =>
  ids
    .map((id) => {
      const mm = v.checks.find((c) => c.id === id)?.message;
      return typeof mm === 'string' ? mm : (mm?.en ?? '');
    })
    .join(' ');
/** The solution with text replaced; each `from` must occur exactly once. */
const edit = (...pairs: [string, string][]) => {
  let s = solution;
  for (const [from, to] of pairs) {
    expect(s.split(from).length - 1, `"${from.slice(0, 60)}" occurs once`).toBe(1);
    s = s.replace(from, to);
  }
  return s;
};
const DEPLOY_IF = "    if: github.event_name == 'push' && github.ref == 'refs/heads/main'";
const DEPLOY_NEEDS = '    needs: image\n';

describe('the manifest and the instructions', () => {
  it("is a troubleshooting lab of week 3 whose checks are the grader's, three of them required", () => {
    expect(manifest.id).toBe('week03-workflow-troubleshoot');
    expect(manifest.week).toBe(3);
    expect(manifest.purpose).toBe('troubleshoot');
    expect(manifest.checks.map((c) => c.id)).toEqual([...CHECK_IDS]);
    expect(Object.fromEntries(manifest.checks.map((c) => [c.id, c.points]))).toEqual(POINTS);
    expect(manifest.checks.filter((c) => c.required).map((c) => c.id)).toEqual(['artifact', 'deploy-runs', 'oidc']);
  });
  const read = (lang: string) => fs.readFileSync(path.join(LAB, `instructions.${lang}.md`), 'utf8').split('\n');
  it('have the same structure in Korean and English, list every check with its points, and quote no repair', () => {
    const shape = (lines: string[]) => ({
      headings: lines.filter((l) => /^#{1,3} /.test(l)).length,
      fences: lines.filter((l) => l.startsWith('```')).length,
      rows: lines.filter((l) => l.startsWith('|')).length,
    });
    expect(shape(read('ko'))).toEqual(shape(read('en')));
    for (const lang of ['ko', 'en']) {
      const rows = read(lang).filter((l) => l.startsWith('|') && /\|\s*\d+\s*\|$/.test(l));
      expect(
        rows.map((r) => Number(r.split('|').at(-2)!.trim())),
        lang,
      ).toEqual(manifest.checks.map((c) => c.points));
      expect(read(lang).join('\n')).not.toMatch(/refs\/heads\/main'|name: checkout-image|hashFiles\('\*\*\/package-lock|needs: image\b/);
    }
  });
});

describe('the lab folder, graded without Docker', () => {
  it(
    'the solution gets full marks as a valid grader output',
    async () => {
      const v = await grade(wf(solution));
      expect(graderOutput.safeParse(v).success).toBe(true);
      expect(v.checks.map((c) => c.id)).toEqual([...CHECK_IDS]);
      expect(failed(v), JSON.stringify(v.checks.filter((c) => !c.passed))).toEqual([]);
      expect(total(v)).toBe(MAX);
    },
    T,
  );
  it(
    'the starter fails every fault, keeps what worked, and stays below the pass mark',
    async () => {
      const v = await grade(wf(starter));
      expect(failed(v)).toEqual(['artifact', 'cache', 'deploy-runs', 'oidc']);
      expect(total(v) / MAX).toBeLessThan(manifest.passRatio);
      expect(en(v, 'artifact')).toMatch(/named "image", but the image job uploads "checkout-image"/);
      // Both reasons deploy is grey on main, in one message: the learner who fixes one still sees the other.
      expect(en(v, 'deploy-runs')).toMatch(/is false for a push to main too.*And .*needs the lint job, which is skipped on a push to main/);
      expect(en(v, 'oidc')).toMatch(/no id-token: write/);
      expect(en(v, 'cache')).toMatch(/changes with every run or commit/);
    },
    T,
  );
  for (const dir of labSubmissionDirs(lab, 'cases')) {
    it(
      `case ${path.basename(dir)} fails exactly ${readCase(dir).expect.fail.join(', ')}`,
      async () => {
        const c = readCase(dir);
        const v = await grade(new Submission(new Map(c.files.map((f) => [f.path, f.content]))));
        expect(failed(v), en(v, ...failed(v))).toEqual([...c.expect.fail].sort());
      },
      T,
    );
  }
  for (const dir of labSubmissionDirs(lab, 'variants')) {
    it(
      `variant ${path.basename(dir)} gets full marks`,
      async () => {
        const v = await grade(new Submission(new Map(readVariant(dir).files.map((f) => [f.path, f.content]))));
        expect(failed(v), JSON.stringify(v.checks.filter((c) => !c.passed))).toEqual([]);
      },
      T,
    );
  }
  it('has at least 5 cases and 5 variants', () => {
    expect(labSubmissionDirs(lab, 'cases').length).toBeGreaterThanOrEqual(5);
    expect(labSubmissionDirs(lab, 'variants').length).toBeGreaterThanOrEqual(5);
  });
});

describe('equivalent repairs are accepted', () => {
  it.each([
    ["deploy guarded by the ref alone (a pull request's ref is refs/pull/…)", [[DEPLOY_IF, "    if: github.ref == 'refs/heads/main'"]]],
    ['deploy guarded by != pull_request in ${{ }}', [[DEPLOY_IF, "    if: ${{ github.event_name != 'pull_request' && github.ref == 'refs/heads/main' }}"]]],
    ['docker load -i with ${RUNNER_TEMP}', [['docker load --input "$RUNNER_TEMP/checkout-image.tar"', 'docker load -i "${RUNNER_TEMP}/checkout-image.tar"']]],
    [
      'a cache key on the lock file at the top, without restore-keys',
      [
        [
          "          key: npm-${{ runner.os }}-${{ hashFiles('**/package-lock.json') }}\n          restore-keys: |\n            npm-${{ runner.os }}-\n",
          "          key: ${{ runner.os }}-node-${{ hashFiles('package-lock.json') }}\n",
        ],
      ],
    ],
    [
      'the deploy permissions in flow style',
      [
        [
          '    permissions:\n      contents: read\n      id-token: write # to ask GitHub for an OIDC token for AWS\n',
          '    permissions: { contents: read, id-token: write }\n',
        ],
      ],
    ],
    [
      'the environment in its long form',
      [['    environment: production\n', '    environment:\n      name: production\n      url: https://shop.example.com\n']],
    ],
    [
      "the ECS service under the lab's first-edition name, shop",
      [
        ['--task-definition checkout ', '--task-definition shop '],
        ['--cluster shop --service checkout ', '--cluster shop --service shop '],
        ['--cluster shop --services checkout', '--cluster shop --services shop'],
      ],
    ],
  ] as [string, [string, string][]][])(
    '%s',
    async (_, pairs) => {
      const v = await grade(wf(edit(...pairs)));
      expect(failed(v), JSON.stringify(v.checks.filter((c) => !c.passed))).toEqual([]);
    },
    T,
  );
});

describe('wrong repairs are refused, saying why', () => {
  it.each([
    [
      'the ECS rollout dropped from deploy',
      [['          aws ecs update-service --cluster shop --service checkout --task-definition "$arn"\n', '']],
      ['rest-intact'],
      /no longer rolls the ECS service checkout \(cluster shop\)/,
    ],
    [
      'success() || failure() on deploy',
      [[DEPLOY_IF, "    if: (success() || failure()) && github.event_name == 'push' && github.ref == 'refs/heads/main'"]],
      ['deploy-runs'],
      /runs even when the (image|test) job fails/,
    ],
    [
      '!cancelled() without naming the results it accepts',
      [
        [DEPLOY_NEEDS, '    needs: [image, lint]\n'],
        [DEPLOY_IF, "    if: ${{ !cancelled() && github.ref == 'refs/heads/main' && github.event_name == 'push' }}"],
      ],
      ['deploy-runs'],
      /runs even when the (image|test) job fails.*needs\.<job>\.result/,
    ],
    [
      'github.ref_name compared with the full ref',
      [[DEPLOY_IF, "    if: github.ref_name == 'refs/heads/main'"]],
      ['deploy-runs'],
      /github\.ref_name is 'main'/,
    ],
    [
      'a cache key on package.json',
      [["key: npm-${{ runner.os }}-${{ hashFiles('**/package-lock.json') }}", "key: npm-${{ runner.os }}-${{ hashFiles('**/package.json') }}"]],
      ['cache'],
      /does not hash the lock file/,
    ],
    [
      'a cache key on the pushed commit',
      [["key: npm-${{ runner.os }}-${{ hashFiles('**/package-lock.json') }}", 'key: npm-${{ github.event.head_commit.id }}']],
      ['cache'],
      /changes with every run or commit/,
    ],
    [
      'docker load of a path the download does not write',
      [['docker load --input "$RUNNER_TEMP/checkout-image.tar"', 'docker load --input checkout-image.tar']],
      ['artifact'],
      /docker load reads <ws>\/checkout-image\.tar, but download-artifact puts the file at <temp>\/checkout-image\.tar/,
    ],
    [
      'a long-lived key instead of the role',
      [
        [
          '          role-to-assume: ${{ vars.AWS_DEPLOY_ROLE_ARN }}\n',
          '          aws-access-key-id: ${{ secrets.AWS_ACCESS_KEY_ID }}\n          aws-secret-access-key: ${{ secrets.AWS_SECRET_ACCESS_KEY }}\n',
        ],
      ],
      ['oidc'],
      /long-lived AWS keys/,
    ],
    [
      'pull_request_target instead of pull_request',
      [['  pull_request:\n    branches: [main]\n', '  pull_request_target:\n    branches: [main]\n']],
      ['rest-intact'],
      /pull requests to main/,
    ],
  ] as [string, [string, string][], string[], RegExp][])(
    '%s',
    async (_, pairs, fails, why) => {
      const v = await grade(wf(edit(...pairs)));
      expect(failed(v)).toEqual([...fails].sort());
      expect(en(v, ...fails)).toMatch(why);
    },
    T,
  );
});

describe('the pieces', () => {
  it('writes paths one way and finds what docker load reads', () => {
    expect(normalisePath('"${{ runner.temp }}/checkout-image.tar"')).toBe('<temp>/checkout-image.tar');
    expect(normalisePath('$RUNNER_TEMP/x/')).toBe('<temp>/x');
    expect(normalisePath('./dist')).toBe('<ws>/dist');
    expect(normalisePath('dist')).toBe('<ws>/dist');
    expect(dockerLoadInput('set -e\ndocker image load -i "$RUNNER_TEMP/a.tar"\n')).toBe('<temp>/a.tar');
    expect(dockerLoadInput('docker load < ${RUNNER_TEMP}/a.tar')).toBe('<temp>/a.tar');
    expect(dockerLoadInput('docker push x')).toBeNull();
  });
  it('tells a key that can be found again from one that cannot', () => {
    expect(keyProblem("npm-${{ runner.os }}-${{ hashFiles('**/package-lock.json') }}")).toBeNull();
    expect(keyProblem("x-${{ hashFiles('./package-lock.json', 'settlement/gradle.lockfile') }}")).toBeNull();
    expect(keyProblem('npm-${{ github.sha }}')).toBe('per-run');
    expect(keyProblem("npm-${{ hashFiles('**/package-lock.json') }}-${{ github.run_number }}")).toBe('per-run');
    expect(keyProblem("npm-${{ hashFiles('yarn.lock') }}")).toBe('no-lock-hash');
    expect(keyProblem('npm-static')).toBe('no-lock-hash');
  });
});

describe('submissions that cannot be graded, and hostile ones', () => {
  it(
    'a missing workflow, a file that is not one YAML map, or no jobs are not gradable',
    async () => {
      const ng = async (s: Submission) => {
        try {
          await grade(s);
        } catch (e) {
          if (e instanceof NotGradable) return (e.msg as { en: string }).en;
          throw e;
        }
        throw new Error('expected NotGradable');
      };
      expect(await ng(new Submission(new Map([['.github/workflows/main.yml', Buffer.from(solution)]])))).toMatch(/ci\.yml is missing/);
      expect(await ng(wf('- a\n- b\n'))).toMatch(/exactly one YAML document/);
      expect(await ng(wf('on: push\n'))).toMatch(/no jobs/);
      expect(await ng(wf('a: &x [*x]\n'))).toBeTruthy();
    },
    T,
  );
  it('a deep needs chain and jobs that need each other are graded, not crashed on', async () => {
    let jobs = '';
    for (let i = 0; i < 400; i++) jobs += `  j${i}:\n    runs-on: ubuntu-24.04\n${i ? `    needs: j${i - 1}\n` : ''}    steps: [{run: "true"}]\n`;
    const v = await grade(wf(`on: [push, pull_request]\njobs:\n${jobs}  deploy: {needs: [j399, deploy], runs-on: ubuntu-24.04, steps: [{run: "true"}]}\n`));
    expect(v.gradable).toBe(true);
    expect(failed(v)).toContain('deploy-runs');
  }, 60_000);
  it(
    'is deterministic',
    async () => {
      expect(JSON.stringify(await grade(wf(starter)))).toBe(JSON.stringify(await grade(wf(starter))));
    },
    T,
  );
});
