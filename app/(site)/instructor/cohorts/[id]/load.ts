import { notFound, redirect } from 'next/navigation';
import { currentUser } from '@/app/_server/session';
import { isAppError } from '@/lib/errors';

/** The signed-in instructor, or the sign-in page; any cohort they may not see is a 404. */
export async function instructorOr404<T>(path: string, load: (actor: NonNullable<Awaited<ReturnType<typeof currentUser>>>) => Promise<T>): Promise<T> {
  const user = await currentUser();
  if (!user) redirect(`/login?callbackUrl=${encodeURIComponent(path)}`);
  try {
    return await load(user);
  } catch (e) {
    if (isAppError(e, 'not_found')) notFound();
    throw e;
  }
}
