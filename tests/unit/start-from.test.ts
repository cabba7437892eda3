import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { labManifest, takesFile, type LabManifest } from '@/lib/labs/manifest';
import { getLab, listLabs, readFolderFiles, startFromProblems } from '@/lib/labs/registry';
import { startFromFiles } from '@/lib/labs/verify';
import { mapStartFromFiles } from '@/lib/submissions/start-from';

/** One running project: `startFrom` in lab.yaml, checked at load. */
const base = {
  week: 9,
  title: { ko: '제목', en: 'Title' },
  summary: { ko: '요약', en: 'Summary' },
  files: [{ path: 'Dockerfile' }, { path: 'k8s/deployment.yaml' }],
  extraExtensions: ['.yaml'],
  checks: [{ id: 'a', title: { ko: '가', en: 'A' }, points: 1, hint: { ko: '힌트', en: 'Hint' } }],
};
const parse = (over: Record<string, unknown>) => labManifest.safeParse({ id: 'week09-later', ...base, ...over });
const messages = (r: ReturnType<typeof parse>) => (r.success ? [] : r.error.issues.map((i) => i.message));

describe('startFrom in a manifest', () => {
  it('is optional and defaults to none', () => {
    const r = parse({});
    expect(r.success).toBe(true);
    expect(r.success && r.data.startFrom).toEqual([]);
  });

  it('takes an earlier lab and a mapping onto files this lab takes (named, or by an extra extension)', () => {
    const r = parse({ startFrom: [{ lab: 'week02-earlier', files: { Dockerfile: 'Dockerfile', 'k8s/web.yaml': 'k8s/extra.yaml' } }] });
    expect(messages(r)).toEqual([]);
  });

  it('refuses a target this lab does not take, a target filled twice, itself, no files, unknown keys and path tricks', () => {
    expect(messages(parse({ startFrom: [{ lab: 'week02-earlier', files: { 'server.js': 'server.js' } }] }))).toEqual([
      'startFrom: "server.js" is not a file this lab takes',
    ]);
    expect(
      messages(
        parse({
          startFrom: [
            { lab: 'week02-a', files: { Dockerfile: 'Dockerfile' } },
            { lab: 'week05-b', files: { Containerfile: 'Dockerfile' } },
          ],
        }),
      ),
    ).toEqual(['startFrom: "Dockerfile" is filled twice']);
    expect(messages(parse({ startFrom: [{ lab: 'week09-later', files: { Dockerfile: 'Dockerfile' } }] }))).toEqual(['startFrom names this lab itself']);
    expect(parse({ startFrom: [{ lab: 'week02-earlier', files: {} }] }).success).toBe(false);
    expect(parse({ startFrom: [{ lab: 'week02-earlier', files: { Dockerfile: 'Dockerfile' }, extra: 1 }] }).success).toBe(false);
    expect(parse({ startFrom: [{ lab: 'week02-earlier', files: { '../secrets': 'Dockerfile' } }] }).success).toBe(false);
    expect(parse({ startFrom: [{ lab: 'week02-earlier', files: { Dockerfile: 'k8s/../Dockerfile' } }] }).success).toBe(false);
    expect(parse({ startFrom: [{ lab: 'Week 2', files: { Dockerfile: 'Dockerfile' } }] }).success).toBe(false);
  });

  it('takesFile follows the submission rules: named files and extra extensions', () => {
    const m = { files: [{ path: 'Dockerfile', required: true, language: 'dockerfile' as const }], extraExtensions: ['.yaml'] };
    expect(takesFile(m, 'Dockerfile')).toBe(true);
    expect(takesFile(m, 'k8s/anything.yaml')).toBe(true);
    expect(takesFile(m, 'server.js')).toBe(false);
  });
});

describe('startFrom across labs (registry)', () => {
  const manifest = (id: string, week: number, startFrom: unknown[] = [], files = base.files): LabManifest =>
    labManifest.parse({ ...base, id, week, files, startFrom });

  it('needs the earlier lab to exist, to be of an earlier week, and to take the mapped source file', () => {
    const earlier = manifest('week02-earlier', 2, [], [{ path: 'Dockerfile' }]);
    const same = manifest('week09-same', 9, [], [{ path: 'Dockerfile' }]);
    const later = manifest('week09-later', 9, [
      { lab: 'week02-earlier', files: { Dockerfile: 'Dockerfile' } },
      { lab: 'week05-missing', files: { 'deployment.yaml': 'k8s/deployment.yaml' } },
    ]);
    expect(startFromProblems([earlier, later])).toEqual(['week09-later: startFrom names "week05-missing", which is no lab']);
    const sameWeek = manifest('week09-other', 9, [{ lab: 'week09-same', files: { Dockerfile: 'Dockerfile' } }]);
    expect(startFromProblems([same, sameWeek])).toEqual(['week09-other: startFrom "week09-same" is of week 9, not earlier than week 9']);
    const wrongSource = manifest('week09-wrong', 9, [{ lab: 'week02-earlier', files: { 'server.js': 'k8s/deployment.yaml' } }]);
    expect(startFromProblems([earlier, wrongSource])).toEqual(['week09-wrong: startFrom "week02-earlier" takes no file "server.js"']);
    expect(startFromProblems([earlier, manifest('week09-ok', 9, [{ lab: 'week02-earlier', files: { Dockerfile: 'Dockerfile' } }])])).toEqual([]);
  });

  it("the course's labs load with their startFrom holding, and week 9 continues from week 2's Dockerfile and week 5's Deployment", () => {
    expect(startFromProblems(listLabs().map((l) => l.manifest))).toEqual([]);
    expect(getLab('week09-deploy-optimisation')?.manifest.startFrom).toEqual([
      { lab: 'week02-docker-server', files: { Dockerfile: 'Dockerfile' } },
      { lab: 'week05-k8s-manifests', files: { 'k8s/deployment.yaml': 'k8s/deployment.yaml' } },
    ]);
  });
});

describe('the files a learner gets', () => {
  it('maps the earlier paths onto this lab, leaves the rest behind and skips what is not text', () => {
    const files = [
      { path: 'Dockerfile', content: Buffer.from('FROM node:26.12.1-trixie-slim\nUSER node\n') },
      { path: 'server.js', content: Buffer.from('// week 2 server\n') },
      { path: 'k8s/web.yaml', content: Uint8Array.from([0xff, 0xfe, 0x00]) },
    ];
    expect(mapStartFromFiles(files, { Dockerfile: 'Dockerfile', 'k8s/web.yaml': 'k8s/deployment.yaml', 'missing.txt': 'notes.txt' })).toEqual([
      { path: 'Dockerfile', content: 'FROM node:26.12.1-trixie-slim\nUSER node\n' },
    ]);
  });

  it("verify's startFrom item is week 9's starter with week 2's Dockerfile on top", () => {
    const lab = getLab('week09-deploy-optimisation')!;
    const out = startFromFiles(
      lab,
      [
        { path: 'Dockerfile', content: Buffer.from('FROM x\n') },
        { path: 'server.js', content: Buffer.from('x') },
      ],
      { Dockerfile: 'Dockerfile' },
    );
    expect(out.find((f) => f.path === 'Dockerfile')?.content.toString()).toBe('FROM x\n');
    expect(out.some((f) => f.path === 'server.js')).toBe(false);
    expect(out.some((f) => f.path === 'src/app.js')).toBe(true);
  });

  it("verify's week-5 item is week 9's starter with the week-5 checkout Deployment on top, and its Service left behind", () => {
    const lab = getLab('week09-deploy-optimisation')!;
    const week5 = getLab('week05-k8s-manifests')!;
    const earlier = readFolderFiles(path.join(week5.dir, 'solution'));
    const out = startFromFiles(lab, earlier, { 'k8s/deployment.yaml': 'k8s/deployment.yaml' });
    const dep = out.find((f) => f.path === 'k8s/deployment.yaml')?.content.toString();
    expect(dep).toBe(earlier.find((f) => f.path === 'k8s/deployment.yaml')!.content.toString());
    expect(dep).toContain('name: checkout');
    expect(out.some((f) => f.path === 'k8s/service.yaml' || f.path === 'k8s/kustomization.yaml')).toBe(false);
    // the rest is week 9's starter: its single-stage Dockerfile and its empty PodDisruptionBudget
    expect(out.find((f) => f.path === 'Dockerfile')?.content.toString()).toContain('COPY . .');
    expect(out.find((f) => f.path === 'k8s/pdb.yaml')?.content.toString()).not.toContain('kind:');
  });
});
