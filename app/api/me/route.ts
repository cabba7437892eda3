import { z } from 'zod';
import { getDb } from '@/lib/db';
import { route, methodNotAllowed } from '@/app/_server/http/route';

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
    const p = await getDb().lessonProgress.findUnique({ where: { userId_week_slug: { userId: user.id, week: q.week, slug: q.slug } }, select: { state: true } });
    lesson = p?.state ?? 'NONE';
  }
  return { user: { name: user.name, role: user.role }, lesson };
});

export const POST = methodNotAllowed(['GET']);
