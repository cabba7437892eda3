import fs from 'node:fs';
import path from 'node:path';
import matter from 'gray-matter';
import YAML from 'yaml';
import { z } from 'zod';
import { bilingual } from '../labs/manifest';
import { getEnv } from '../env';
import { projectRoot } from '../labs/registry';
import { LANGS, lessonFrontmatter, moduleDir, type Lang, type LessonFrontmatter } from './schema';

export const moduleMeta = z
  .object({
    week: z.number().int().min(0).max(10),
    title: bilingual,
    summary: bilingual,
    goals: z.object({ ko: z.array(z.string()).min(1), en: z.array(z.string()).min(1) }),
    /** The week's lab (older form of `labs` with one id). */
    lab: z.string().optional(),
    /** The week's labs in order: the build lab first, then e.g. a troubleshooting lab. */
    labs: z.array(z.string()).min(1).max(4).optional(),
  })
  .strict()
  .refine((m) => !(m.lab && m.labs), { message: 'name the labs with "labs" or "lab", not both' });
export type ModuleMeta = z.infer<typeof moduleMeta>;

/** The labs a module names, in order (`labs`, or the single `lab`). */
export function moduleLabs(meta: Pick<ModuleMeta, 'lab' | 'labs'>): string[] {
  return meta.labs ?? (meta.lab ? [meta.lab] : []);
}

export interface Lesson {
  week: number;
  slug: string;
  /** Frontmatter per language. */
  meta: Record<Lang, LessonFrontmatter>;
  /** Path of each language's file relative to content/. */
  files: Record<Lang, string>;
}

export interface Module {
  week: number;
  meta: ModuleMeta;
  lessons: Lesson[];
}

class ContentError extends Error {
  constructor(readonly problems: string[]) {
    super(`content has ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
  }
}

export function contentDir(): string {
  return path.join(projectRoot(), 'content');
}

let cache: Module[] | undefined;

/** Reads and validates every module and lesson. Throws ContentError listing every problem found. */
export function loadContent(opts: { fresh?: boolean } = {}): Module[] {
  if (cache && !opts.fresh && getEnv().NODE_ENV !== 'development') return cache;
  const problems: string[] = [];
  const modules: Module[] = [];
  for (let week = 0; week <= 10; week++) {
    const dir = path.join(contentDir(), moduleDir(week));
    if (!fs.existsSync(dir)) continue;
    const metaFile = path.join(dir, '_module.yaml');
    if (!fs.existsSync(metaFile)) {
      problems.push(`${moduleDir(week)}: _module.yaml is missing`);
      continue;
    }
    const mm = moduleMeta.safeParse(YAML.parse(fs.readFileSync(metaFile, 'utf8')));
    if (!mm.success) {
      problems.push(`${moduleDir(week)}/_module.yaml: ${mm.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      continue;
    }
    if (mm.data.week !== week) problems.push(`${moduleDir(week)}/_module.yaml: week ${mm.data.week} does not match its folder`);
    const bySlug = new Map<string, Partial<Record<Lang, { fm: LessonFrontmatter; file: string }>>>();
    for (const f of fs.readdirSync(dir).sort()) {
      if (!f.endsWith('.mdx')) continue;
      const m = /^([a-z0-9][a-z0-9-]*)\.(ko|en)\.mdx$/.exec(f);
      const rel = `${moduleDir(week)}/${f}`;
      if (!m) {
        problems.push(`${rel}: lesson files are named <slug>.<ko|en>.mdx`);
        continue;
      }
      const [, slug, lang] = m as unknown as [string, string, Lang];
      const parsed = matter(fs.readFileSync(path.join(dir, f), 'utf8'));
      const fm = lessonFrontmatter.safeParse(parsed.data);
      if (!fm.success) {
        problems.push(`${rel}: ${fm.error.issues.map((i) => `${i.path.join('.') || 'frontmatter'}: ${i.message}`).join('; ')}`);
        continue;
      }
      if (fm.data.week !== week) problems.push(`${rel}: frontmatter week ${fm.data.week} but the file is in ${moduleDir(week)}`);
      const entry = bySlug.get(slug) ?? {};
      entry[lang] = { fm: fm.data, file: rel };
      bySlug.set(slug, entry);
    }
    const lessons: Lesson[] = [];
    for (const [slug, entry] of bySlug) {
      const missing = LANGS.filter((l) => !entry[l]);
      if (missing.length) {
        problems.push(`${moduleDir(week)}/${slug}: missing translation(s): ${missing.join(', ')}`);
        continue;
      }
      if (entry.ko!.fm.order !== entry.en!.fm.order) problems.push(`${moduleDir(week)}/${slug}: ko and en have different order`);
      lessons.push({
        week,
        slug,
        meta: { ko: entry.ko!.fm, en: entry.en!.fm },
        files: { ko: entry.ko!.file, en: entry.en!.file },
      });
    }
    lessons.sort((a, b) => a.meta.en.order - b.meta.en.order || a.slug.localeCompare(b.slug));
    modules.push({ week, meta: mm.data, lessons });
  }
  if (problems.length) throw new ContentError(problems);
  cache = modules;
  return modules;
}

export function getModule(week: number): Module | undefined {
  return loadContent().find((m) => m.week === week);
}

export function getLesson(week: number, slug: string): Lesson | undefined {
  return getModule(week)?.lessons.find((l) => l.slug === slug);
}

export function listLessons(): { week: number; slug: string; title: string; languages: Lang[] }[] {
  return loadContent().flatMap((m) => m.lessons.map((l) => ({ week: l.week, slug: l.slug, title: l.meta.en.title, languages: [...LANGS] })));
}

/** Neighbours in course order, across weeks. */
export function lessonNeighbours(week: number, slug: string): { prev?: Lesson; next?: Lesson } {
  const all = loadContent().flatMap((m) => m.lessons);
  const i = all.findIndex((l) => l.week === week && l.slug === slug);
  return { prev: i > 0 ? all[i - 1] : undefined, next: i >= 0 && i < all.length - 1 ? all[i + 1] : undefined };
}

/**
 * The build's content check: schema, translations, weeks, and every internal link in a lesson pointing at a
 * lesson or lab that exists. Returns the problems (empty when all is well).
 */
export function checkContent(labIds: string[]): string[] {
  let modules: Module[];
  try {
    modules = loadContent({ fresh: true });
  } catch (e) {
    if (e instanceof ContentError) return e.problems;
    throw e;
  }
  const problems: string[] = [];
  const lessons = new Set(modules.flatMap((m) => m.lessons.map((l) => `/weeks/${l.week}/${l.slug}`)));
  const weeks = new Set(modules.map((m) => `/weeks/${m.week}`));
  const labs = new Set(labIds.map((id) => `/labs/${id}`));
  // Every lab is linked from its week: the module names it, and some lesson of the week links to it.
  for (const id of labIds) {
    const week = Number(/^week(\d{2})-/.exec(id)?.[1] ?? NaN);
    const m = modules.find((x) => x.week === week);
    if (!m) problems.push(`lab ${id}: week ${week} has no module in content/`);
    else if (!moduleLabs(m.meta).includes(id)) problems.push(`${moduleDir(week)}/_module.yaml: does not name its lab "${id}" (labs: ${moduleLabs(m.meta).join(', ') || 'none'})`);
    else {
      const linked = m.lessons.some((l) => LANGS.every((lang) => fs.readFileSync(path.join(contentDir(), l.files[lang]), 'utf8').includes(`/labs/${id}`)));
      if (!linked) problems.push(`${moduleDir(week)}: no lesson links to /labs/${id} in both languages`);
    }
  }
  for (const m of modules) {
    for (const id of moduleLabs(m.meta)) if (!labIds.includes(id)) problems.push(`${moduleDir(m.week)}/_module.yaml: lab "${id}" does not exist`);
    if (m.week > 0 && m.lessons.length === 0) problems.push(`${moduleDir(m.week)}: no lessons`);
    for (const l of m.lessons) {
      for (const lang of LANGS) {
        const text = fs.readFileSync(path.join(contentDir(), l.files[lang]), 'utf8');
        // Markdown links and JSX hrefs that start with "/" are internal.
        const re = /\]\((\/[^)\s#]*)(#[^)\s]*)?\)|href=["'{]+(\/[^"'}\s#]*)/g;
        for (const match of text.matchAll(re)) {
          const target = (match[1] ?? match[3] ?? '').replace(/\/$/, '');
          if (!target) continue;
          if (lessons.has(target) || weeks.has(target) || labs.has(target) || target === '/roadmap' || target === '/dashboard') continue;
          problems.push(`${l.files[lang]}: broken internal link ${target}`);
        }
      }
    }
  }
  return problems;
}
