import { z } from 'zod';
import { lessonState } from '@/lib/progress/set-lesson-state';
import { lessonQuizAnswers, quizSeed } from '@/lib/progress/quiz-answers';
import { route, methodNotAllowed } from '@/app/_server/http/handler';

export const dynamic = 'force-dynamic';

const query = z.object({
  week: z.coerce.number().int().min(0, 'week must be 0-10').max(10, 'week must be 0-10').optional(),
  slug: z
    .string()
    .regex(/^[a-z0-9-]{1,80}$/, 'slug: lower-case letters, digits and dashes')
    .optional(),
});

/**
 * Who is reading, for the islands on prerendered pages: the header's user menu and a lesson's progress buttons.
 * The account's colour scheme comes along, so a prerendered page can follow it on a browser whose cookie differs.
 * With ?week=&slug= it also returns the reader's state of that lesson and their quiz answers there. Never cached.
 */
export const GET = route({ public: true, query }, async ({ query: q, user }) => {
  if (!user) return { user: null };
  let lesson: string | undefined;
  let quizzes: Awaited<ReturnType<typeof lessonQuizAnswers>> | undefined;
  if (q.week !== undefined && q.slug) {
    [lesson, quizzes] = await Promise.all([lessonState(user, q.week, q.slug), lessonQuizAnswers(user, q.week, q.slug)]);
  }
  // quizSeed: the learner's own order of quiz options (stable per learner, not their id).
  return { user: { name: user.name, role: user.role }, theme: user.theme, quizSeed: quizSeed(user), lesson, quizzes };
});

export const POST = methodNotAllowed(['GET']);
