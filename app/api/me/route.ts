import { z } from 'zod';
import { lessonState } from '@/lib/progress/set-lesson-state';
import { route, methodNotAllowed } from '@/app/_server/http/handler';

export const dynamic = 'force-dynamic';

const query = z.object({
  week: z.coerce.number().int().min(0, 'week must be 0-10').max(10, 'week must be 0-10').optional(),
  slug: z.string().regex(/^[a-z0-9-]{1,80}$/, 'slug: lower-case letters, digits and dashes').optional(),
});

/**
 * Who is reading, for the islands on prerendered pages: the header's user menu and a lesson's progress buttons.
 * With ?week=&slug= it also returns the reader's state of that lesson. Never cached.
 */
export const GET = route({ public: true, query }, async ({ query: q, user }) => {
  if (!user) return { user: null };
  let lesson: string | undefined;
  if (q.week !== undefined && q.slug) {
    lesson = await lessonState(user, q.week, q.slug);
  }
  return { user: { name: user.name, role: user.role }, lesson };
});

export const POST = methodNotAllowed(['GET']);
