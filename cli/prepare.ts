import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DATA_DIR, ROOT } from './services';
import { run, log } from './sh';
import { getEnv } from '../lib/env';

/** Generates the Prisma client when the schema changed since the last generate. */
export async function prismaGenerate(): Promise<void> {
  const schema = fs.readFileSync(path.join(ROOT, 'prisma', 'schema.prisma'));
  const hash = crypto.createHash('sha256').update(schema).digest('hex');
  const stamp = path.join(ROOT, 'lib', 'generated', '.schema-hash');
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === hash) return;
  // The CLI reads DATABASE_URL from the schema even to generate; any URL will do here.
  await run(path.join(ROOT, 'node_modules', '.bin', 'prisma'), ['generate'], {
    cwd: ROOT,
    quiet: true,
    env: { ...process.env, DATABASE_URL: getEnv().DATABASE_URL ?? 'postgresql://generate@127.0.0.1/generate', PRISMA_HIDE_UPDATE_MESSAGE: '1' },
  });
  fs.writeFileSync(stamp, hash);
  log('generated the Prisma client');
}

export async function migrate(databaseUrl: string): Promise<void> {
  await run(path.join(ROOT, 'node_modules', '.bin', 'prisma'), ['migrate', 'deploy'], {
    cwd: ROOT,
    quiet: true,
    env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
  });
}

/** A secret for next-auth that stays the same across runs of one checkout. */
export function localSecret(): string {
  const configured = getEnv().NEXTAUTH_SECRET;
  if (configured) return configured;
  const f = path.join(DATA_DIR, 'nextauth-secret');
  if (!fs.existsSync(f)) {
    fs.mkdirSync(DATA_DIR, { recursive: true });
    fs.writeFileSync(f, crypto.randomBytes(32).toString('base64url'), { mode: 0o600 });
  }
  return fs.readFileSync(f, 'utf8').trim();
}

const BUILD_INPUTS = [
  'app',
  'components',
  'content',
  'lib',
  'grader-kit',
  'labs',
  'next.config.js',
  'package-lock.json',
  'postcss.config.mjs',
  'mdx-components.tsx',
  'proxy.ts',
];

/** A fingerprint of what the production build depends on, to skip `next build` when nothing changed. */
function buildFingerprint(): string {
  const h = crypto.createHash('sha256');
  const walk = (p: string) => {
    if (!fs.existsSync(p)) return;
    const st = fs.statSync(p);
    if (st.isDirectory()) {
      if (p.endsWith('generated') || p.endsWith('node_modules')) return;
      for (const e of fs.readdirSync(p).sort()) walk(path.join(p, e));
    } else {
      h.update(path.relative(ROOT, p)).update(String(st.size)).update(String(st.mtimeMs));
    }
  };
  for (const i of BUILD_INPUTS) walk(path.join(ROOT, i));
  return h.digest('hex');
}

/** `next build` into LMS_DIST_DIR, skipped when nothing it depends on changed since the last one. */
export async function nextBuild(env: NodeJS.ProcessEnv): Promise<void> {
  const stamp = path.join(ROOT, env.LMS_DIST_DIR || getEnv().LMS_DIST_DIR, 'lms-build-stamp');
  const fp = buildFingerprint();
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === fp) return;
  log('building the site (next build)');
  fs.mkdirSync(path.dirname(stamp), { recursive: true });
  await run(path.join(ROOT, 'node_modules', '.bin', 'next'), ['build'], { cwd: ROOT, env: { ...env, NEXT_TELEMETRY_DISABLED: '1' }, quiet: true });
  fs.writeFileSync(stamp, fp);
}
