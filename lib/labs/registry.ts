import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { getEnv } from '../env';
import { labManifest, takesFile, type LabManifest } from './manifest';

export interface Lab {
  manifest: LabManifest;
  dir: string;
}

/** The project root: where labs/ and content/ live (LMS_ROOT overrides, e.g. inside a container image). */
export function projectRoot(): string {
  return getEnv().LMS_ROOT ?? process.cwd();
}

function labsDir(): string {
  return path.join(projectRoot(), 'labs');
}

let cache: Map<string, Lab> | undefined;
let loadedAt = 0;
let pinned = false;

/**
 * This process reads the labs once, as the served site does (NODE_ENV=production), even in development where they
 * are read again once a second: for the benchmarks' in-process engines, where that reread is a pause that lands at
 * random inside a measured time.
 */
export function pinLabs(): void {
  pinned = true;
}

class LabError extends Error {}

export function loadLab(dir: string): Lab {
  const file = path.join(dir, 'lab.yaml');
  const raw = YAML.parse(fs.readFileSync(file, 'utf8'), { maxAliasCount: 50 });
  const parsed = labManifest.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new LabError(`${path.relative(projectRoot(), file)} is not a valid lab manifest:\n${lines}`);
  }
  if (parsed.data.id !== path.basename(dir)) throw new LabError(`${file}: id "${parsed.data.id}" must equal its folder name`);
  return { manifest: parsed.data, dir };
}

/**
 * Every lab under labs/, sorted by week. Cached per process; labs change only with a deploy. In development (`next dev`,
 * the CLI) they are read again when the copy is over a second old, so an edited lab shows at once without reading all
 * twenty labs from disk on every lookup (40 ms each: the workspace engine looks its lab up three times per open).
 */
export function listLabs(): Lab[] {
  if (!cache || (!pinned && getEnv().NODE_ENV === 'development' && Date.now() - loadedAt > 1000)) {
    loadedAt = Date.now();
    cache = new Map();
    // LMS_EXTRA_LABS_DIR adds labs from another folder: the test suite's fixture labs (a grader that sleeps, ...).
    for (const root of [labsDir(), getEnv().LMS_EXTRA_LABS_DIR].filter((x): x is string => Boolean(x))) {
      const dirs = fs.existsSync(root) ? fs.readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()) : [];
      for (const d of dirs) {
        if (!fs.existsSync(path.join(root, d.name, 'lab.yaml'))) continue;
        const lab = loadLab(path.join(root, d.name));
        cache.set(lab.manifest.id, lab);
      }
    }
    const problems = startFromProblems([...cache.values()].map((l) => l.manifest));
    if (problems.length) {
      cache = undefined;
      throw new LabError(`labs: startFrom does not hold:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    }
  }
  // By week; in a week the build lab before the troubleshooting lab (as the week teaches them), then by id.
  const rank = (l: Lab) => (l.manifest.purpose === 'troubleshoot' ? 1 : 0);
  return [...cache.values()].sort((a, b) => a.manifest.week - b.manifest.week || rank(a) - rank(b) || a.manifest.id.localeCompare(b.manifest.id));
}

/**
 * The cross-lab rules of `startFrom` (one running project), which one manifest alone cannot check: the earlier lab
 * exists, is of an earlier week, and each mapped file is one that lab takes. Returns the problems, empty when none.
 */
export function startFromProblems(manifests: LabManifest[]): string[] {
  const byId = new Map(manifests.map((m) => [m.id, m]));
  const out: string[] = [];
  for (const m of manifests) {
    for (const sf of m.startFrom) {
      const from = byId.get(sf.lab);
      if (!from) {
        out.push(`${m.id}: startFrom names "${sf.lab}", which is no lab`);
        continue;
      }
      if (from.week >= m.week) out.push(`${m.id}: startFrom "${sf.lab}" is of week ${from.week}, not earlier than week ${m.week}`);
      for (const src of Object.keys(sf.files)) {
        if (!takesFile(from, src)) out.push(`${m.id}: startFrom "${sf.lab}" takes no file "${src}"`);
      }
    }
  }
  return out;
}

/**
 * What a lab folder must hold besides its manifest (ARCHITECTURE "Writing a lab"): the task in both languages, the
 * starter, the reference solution, the grader and known-wrong cases. Returns the problems, empty when all is there.
 */
export function labFolderProblems(lab: Lab): string[] {
  const need = ['instructions.ko.md', 'instructions.en.md', 'starter', 'solution', 'grader/index.ts', 'cases'];
  return need.filter((rel) => !fs.existsSync(path.join(lab.dir, rel))).map((rel) => `labs/${path.basename(lab.dir)}: missing ${rel}`);
}

export function getLab(id: string): Lab | undefined {
  return listLabs().find((l) => l.manifest.id === id);
}

/** Reads the files of a folder (starter/, solution/, a case) as submission files, relative paths. */
export function readFolderFiles(dir: string, skip: (rel: string) => boolean = () => false): { path: string; content: Buffer }[] {
  const out: { path: string; content: Buffer }[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const abs = path.join(d, e.name);
      const rel = path.relative(dir, abs).split(path.sep).join('/');
      if (skip(rel)) continue;
      if (e.isDirectory()) walk(abs);
      else if (e.isFile()) out.push({ path: rel, content: fs.readFileSync(abs) });
    }
  };
  walk(dir);
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * A known-wrong case's expect.json: the checks it must fail, and optionally `base: "solution"`, which makes the case
 * an overlay: the lab's solution/ with the case folder's files on top and the files in `delete` left out. A case then
 * holds only what is wrong with it.
 */
const caseExpectation = z
  .object({
    fail: z.array(z.string().min(1)),
    base: z.literal('solution').optional(),
    delete: z.array(z.string().min(1)).optional(),
  })
  .strict()
  .refine((e) => !e.delete || e.base, { message: '"delete" needs "base": "solution"' });
export type CaseExpectation = z.infer<typeof caseExpectation>;

/**
 * A legitimate solution written in another style than the reference (labs/<lab>/variants/<name>/variant.json): it
 * must score full marks. `style` says how it is written and after whose example (terraform-aws-modules, the
 * Kubernetes website, a starter workflow, ...); like a case it may be an overlay on the solution.
 */
const variantDescription = z
  .object({
    style: z.string().min(10),
    base: z.literal('solution').optional(),
    delete: z.array(z.string().min(1)).optional(),
  })
  .strict()
  .refine((e) => !e.delete || e.base, { message: '"delete" needs "base": "solution"' });
export type VariantDescription = z.infer<typeof variantDescription>;

/** Reads an overlay folder: its JSON description (zod) and the files it submits, on top of the solution if it says so. */
function readOverlay<T extends { base?: 'solution'; delete?: string[] }>(
  dir: string,
  metaFile: string,
  schema: z.ZodType<T>,
): { meta: T; files: { path: string; content: Buffer }[] } {
  const name = path.basename(dir);
  const kind = path.basename(path.dirname(dir)) === 'variants' ? 'variant' : 'case';
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(path.join(dir, metaFile), 'utf8'));
  } catch (e) {
    throw new Error(`${kind} ${name}: ${metaFile} cannot be read: ${(e as Error).message}`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success)
    throw new Error(`${kind} ${name}: ${metaFile}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ')}`);
  const own = readFolderFiles(dir, (rel) => rel === metaFile);
  if (!parsed.data.base) return { meta: parsed.data, files: own };
  const solution = path.join(dir, '..', '..', 'solution');
  if (!fs.existsSync(solution))
    throw new Error(`${kind} ${name}: ${metaFile} says base "solution", but there is no ${solution} (it lives in labs/<lab>/${kind}s/)`);
  const files = new Map(readFolderFiles(solution).map((f) => [f.path, f]));
  for (const d of parsed.data.delete ?? []) {
    if (!files.delete(d)) throw new Error(`${kind} ${name}: ${metaFile} deletes "${d}", which the solution does not have`);
  }
  for (const f of own) files.set(f.path, f);
  return { meta: parsed.data, files: [...files.values()].sort((a, b) => a.path.localeCompare(b.path)) };
}

/** Reads a case folder (labs/<lab>/cases/<name>): its expectation and the files it submits. */
export function readCase(caseDir: string): { expect: CaseExpectation; files: { path: string; content: Buffer }[] } {
  const { meta, files } = readOverlay(caseDir, 'expect.json', caseExpectation);
  return { expect: meta, files };
}

/** Reads a variant folder (labs/<lab>/variants/<name>): its description and the files it submits. */
export function readVariant(variantDir: string): { variant: VariantDescription; files: { path: string; content: Buffer }[] } {
  const { meta, files } = readOverlay(variantDir, 'variant.json', variantDescription);
  return { variant: meta, files };
}

/** The sub-folders of labs/<lab>/<kind> (cases or variants), sorted; none when the folder is missing. */
export function labSubmissionDirs(lab: Lab, kind: 'cases' | 'variants'): string[] {
  const root = path.join(lab.dir, kind);
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => path.join(root, d.name))
    .sort();
}
