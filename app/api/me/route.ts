import { NextResponse } from 'next/server';
import { z } from 'zod';
import { currentUser } from '@/lib/auth/session';
import { getDb } from '@/lib/db';

const query = z.object({ week: z.coerce.number().int().min(0).max(10), slug: z.string().regex(/^[a-z0-9-]{1,80}$/) });

/**
 * Who is reading, for the islands on prerendered pages: the header's user menu and a lesson's progress buttons.
 * With ?week=&slug= it also returns the reader's state of that lesson. Never cached.
 */
export async function GET(req: Request) {
  const user = await currentUser();
  const headers = { 'Cache-Control': 'private, no-store' };
  if (!user) return NextResponse.json({ user: null }, { headers });
  const url = new URL(req.url);
  let lesson: string | undefined;
  if (url.searchParams.has('week')) {
    const q = query.safeParse({ week: url.searchParams.get('week'), slug: url.searchParams.get('slug') });
    if (!q.success) return NextResponse.json({ error: 'week must be 0-10 and slug lower-case letters, digits and dashes' }, { status: 400, headers });
    const p = await getDb().lessonProgress.findUnique({ where: { userId_week_slug: { userId: user.id, week: q.data.week, slug: q.data.slug } }, select: { state: true } });
    lesson = p?.state ?? 'NONE';
  }
  return NextResponse.json({ user: { name: user.name, role: user.role }, lesson }, { headers });
}
