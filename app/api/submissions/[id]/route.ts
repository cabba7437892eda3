import { z } from 'zod';
import { route, methodNotAllowed } from '@/app/_server/http/handler';
import { getSubmissionView } from '@/lib/submissions/queries';

export const dynamic = 'force-dynamic';

/** The live status of one submission, polled by the lab page: status, phase, queue position, then the result. */
export const GET = route({ params: z.object({ id: z.string().regex(/^[a-z0-9]{10,40}$/) }) }, async ({ params, user }) => {
  // getSubmissionView checks the owner (or an admin) next to the data; anyone else gets not_found (404).
  return getSubmissionView(user!, params.id);
});

export const POST = methodNotAllowed(['GET']);
export const PUT = POST;
export const PATCH = POST;
export const DELETE = POST;
