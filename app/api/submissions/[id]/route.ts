import { NextResponse } from 'next/server';
import { z } from 'zod';
import { currentUser } from '@/lib/auth/session';
import { getSubmissionView } from '@/lib/submissions/queries';
import { NotFound } from '@/lib/auth/actor';

export const dynamic = 'force-dynamic';

/** The live status of one submission, polled by the lab page: status, phase, queue position, then the result. */
export async function GET(_req: Request, ctx: { params: Promise<{ id: string }> }) {
  const { id } = await ctx.params;
  if (!z.string().regex(/^[a-z0-9]{10,40}$/).safeParse(id).success) return NextResponse.json({ error: 'Invalid submission id.' }, { status: 400 });
  const user = await currentUser();
  if (!user) return NextResponse.json({ error: 'Sign in first.' }, { status: 401 });
  try {
    const view = await getSubmissionView(user, id);
    return NextResponse.json(view, { headers: { 'Cache-Control': 'no-store' } });
  } catch (e) {
    if (e instanceof NotFound) return NextResponse.json({ error: 'No such submission.' }, { status: 404 });
    console.error('[api] submission status:', e);
    return NextResponse.json({ error: 'Something went wrong.' }, { status: 500 });
  }
}
