import { z } from 'zod';
import { getDb } from '../db';
import { getLesson } from '../content/index';
import type { Actor } from '../auth/actor';
import { AppError, msg } from '../errors';

export const lessonStateInput = z.object({
  week: z.number().int().min(0).max(10),
  slug: z.string().regex(/^[a-z0-9-]{1,80}$/),
  state: z.enum(['LEARNING', 'DONE', 'SKIPPED', 'NONE']),
});

/** The acting user's own state of one lesson ('NONE' when never marked). */
export async function lessonState(actor: Actor, week: number, slug: string): Promise<'LEARNING' | 'DONE' | 'SKIPPED' | 'NONE'> {
  const p = await getDb().lessonProgress.findUnique({ where: { userId_week_slug: { userId: actor.id, week, slug } }, select: { state: true } });
  return p?.state ?? 'NONE';
}

/** Self-reported lesson progress, as on roadmap.sh: done, learning, skipped (or cleared). */
export async function setLessonState(actor: Actor, raw: unknown): Promise<void> {
  const input = lessonStateInput.parse(raw);
  if (!getLesson(input.week, input.slug)) throw new AppError('not_found', { message: msg('errors.noSuchLesson') });
  const db = getDb();
  const key = { userId_week_slug: { userId: actor.id, week: input.week, slug: input.slug } };
  if (input.state === 'NONE') {
    await db.lessonProgress.deleteMany({ where: { userId: actor.id, week: input.week, slug: input.slug } });
    return;
  }
  await db.lessonProgress.upsert({
    where: key,
    create: { userId: actor.id, week: input.week, slug: input.slug, state: input.state },
    update: { state: input.state },
  });
}
