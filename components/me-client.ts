'use client';

export interface Me {
  user: { name: string; role: 'LEARNER' | 'INSTRUCTOR' | 'ADMIN' } | null;
  /** The account's colour scheme (lib/theme.ts), when signed in. */
  theme?: 'system' | 'light' | 'dark';
  /** The learner's own order of quiz options (lib/progress/quiz-order.ts). */
  quizSeed?: string;
  lesson?: 'LEARNING' | 'DONE' | 'SKIPPED' | 'NONE';
  /** The learner's latest answer per quiz of the lesson (its position in the lesson, the option's original index). */
  quizzes?: { quiz: number; choice: number; firstCorrect: boolean }[];
}

let pending: { key: string; promise: Promise<Me> } | undefined;

/** One /api/me request per page, shared by the islands of a prerendered page (header and lesson progress). */
export function fetchMe(lesson?: { week: number; slug: string }): Promise<Me> {
  const key = lesson ? `?week=${lesson.week}&slug=${encodeURIComponent(lesson.slug)}` : '';
  if (pending && (pending.key === key || (!key && pending.key))) return pending.promise;
  const promise = fetch(`/api/me${key}`, { credentials: 'same-origin', cache: 'no-store' })
    .then((r) => (r.ok ? (r.json() as Promise<Me>) : { user: null }))
    .catch(() => ({ user: null }));
  pending = { key, promise };
  return promise;
}

/** Signs out without next-auth's client bundle: the CSRF token, then the same POST its signOut() makes. */
export async function signOutNow(): Promise<void> {
  const { csrfToken } = (await fetch('/api/auth/csrf', { credentials: 'same-origin' }).then((r) => r.json())) as { csrfToken: string };
  await fetch('/api/auth/signout', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrfToken, callbackUrl: '/' }),
  });
  window.location.href = '/';
}
