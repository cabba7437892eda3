import { notFound, redirect } from 'next/navigation';
import { currentUser } from '@/app/_server/session';

/** Admin pages: sign in first; anyone else gets a 404 (the pages do not exist for them). */
export async function adminOr404(path: string) {
  const user = await currentUser();
  if (!user) redirect(`/login?callbackUrl=${encodeURIComponent(path)}`);
  if (user.role !== 'ADMIN') notFound();
  return user;
}
