/**
 * Self-check answers. A lesson's quizzes are identified by their position in the lesson (the same in Korean and
 * English: the content check makes both ask the same questions with the same answers), and an answer is judged here
 * against the lesson's own file, never by what the browser says. Per learner and quiz the first answer (what the
 * learner knew) and the latest are kept, with the number of answers: bounded rows, whatever a client sends.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { getDb } from '../db';
import { getEnv } from '../env';
import type { Actor } from '../auth/actor';
import { AppError } from '../errors';
import { getLesson, contentDir } from '../content/index';
import { readQuizzes } from '../content/checks';
import type { Lang } from '../content/schema';

export const quizAnswerInput = z
  .object({
    week: z.number().int().min(0).max(10),
    slug: z.string().regex(/^[a-z0-9-]{1,80}$/),
    quiz: z.number().int().min(0).max(50),
    choice: z.number().int().min(0).max(9),
    lang: z.enum(['ko', 'en']),
  })
  .strict();

const keys = new Map<string, { options: number; answer: number }[]>();

/** The answer key of a lesson in one language: per quiz, how many options and which is right. Read once per file. */
export function quizKey(week: number, slug: string, lang: Lang): { options: number; answer: number }[] | undefined {
  const lesson = getLesson(week, slug);
  if (!lesson) return undefined;
  const id = `${week}/${slug}/${lang}`;
  let k = keys.get(id);
  if (!k) {
    const file = path.join(contentDir(), lesson.files[lang]);
    k = readQuizzes(fs.readFileSync(file, 'utf8'), lesson.files[lang]).map((q) => ({ options: q.options.length, answer: q.answer }));
    keys.set(id, k);
  }
  return k;
}

/** Records one answer; returns whether it is right. A quiz or option the lesson does not have is refused. */
export async function recordQuizAnswer(actor: Actor, raw: unknown): Promise<{ correct: boolean; attempts: number }> {
  const input = quizAnswerInput.parse(raw);
  const key = quizKey(input.week, input.slug, input.lang);
  const q = key?.[input.quiz];
  if (!q || input.choice >= q.options) throw new AppError('not_found');
  const correct = input.choice === q.answer;
  const row = await getDb().quizAnswer.upsert({
    where: { userId_week_slug_quiz: { userId: actor.id, week: input.week, slug: input.slug, quiz: input.quiz } },
    create: {
      userId: actor.id,
      week: input.week,
      slug: input.slug,
      quiz: input.quiz,
      firstChoice: input.choice,
      firstCorrect: correct,
      lastChoice: input.choice,
      lastCorrect: correct,
    },
    update: { lastChoice: input.choice, lastCorrect: correct, attempts: { increment: 1 } },
    select: { attempts: true },
  });
  return { correct, attempts: row.attempts };
}

/** The learner's answers in a lesson (quiz position → latest choice and whether the first try was right). */
export async function lessonQuizAnswers(actor: Actor, week: number, slug: string): Promise<{ quiz: number; choice: number; firstCorrect: boolean }[]> {
  const rows = await getDb().quizAnswer.findMany({
    where: { userId: actor.id, week, slug },
    select: { quiz: true, lastChoice: true, firstCorrect: true },
    orderBy: { quiz: 'asc' },
  });
  return rows.map((r) => ({ quiz: r.quiz, choice: r.lastChoice, firstCorrect: r.firstCorrect }));
}

/**
 * The seed a learner's quiz options are shuffled with: stable per learner, not their id (a keyed hash of it), so the
 * order is the same on every visit and differs between learners.
 */
export function quizSeed(actor: Actor, secret = getEnv().NEXTAUTH_SECRET ?? 'lms'): string {
  return crypto.createHmac('sha256', secret).update(`quiz-order:${actor.id}`).digest('base64url').slice(0, 16);
}
