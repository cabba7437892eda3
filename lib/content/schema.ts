import { z } from 'zod';

export const LANGS = ['ko', 'en'] as const;
export type Lang = (typeof LANGS)[number];

/** Frontmatter of one lesson file `content/<module>/<slug>.<lang>.mdx`. */
export const lessonFrontmatter = z
  .object({
    title: z.string().min(3).max(120),
    description: z.string().min(10).max(300),
    /** 0 is the introduction module; 1..10 are the weeks. */
    week: z.number().int().min(0).max(10),
    /** Position of the lesson inside its week, from 1. */
    order: z.number().int().min(1).max(20),
    goals: z.array(z.string().min(3)).min(1).max(8),
    /** The versions the lesson assumes, e.g. "Terraform 1.13, AWS provider 6.x". */
    assumes: z.string().min(3).max(200),
    minutes: z.number().int().min(3).max(120),
    docs: z.array(z.object({ title: z.string().min(2), url: z.string().url().startsWith('https://') })).min(1),
  })
  .strict();
export type LessonFrontmatter = z.infer<typeof lessonFrontmatter>;

/** The module folder for a week: content/intro, content/week-01 .. content/week-10. */
export function moduleDir(week: number): string {
  return week === 0 ? 'intro' : `week-${String(week).padStart(2, '0')}`;
}
