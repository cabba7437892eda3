import { NextResponse } from 'next/server';
import { z } from 'zod';
import { route, methodNotAllowed } from '@/app/_server/http/handler';
import { submitLabAttempt } from '@/lib/submissions/submit-lab-attempt';

export const dynamic = 'force-dynamic';

const base64 = /^[A-Za-z0-9+/]*={0,2}$/;
const body = z.object({
  labId: z.string().regex(/^[a-z0-9-]{3,63}$/, 'labId: lower-case letters, digits and dashes'),
  files: z
    .array(
      z
        .object({
          path: z.string().min(1).max(200),
          content: z.string().max(3 * 1024 * 1024),
          encoding: z.enum(['utf8', 'base64']).default('utf8'),
        })
        .refine((f) => f.encoding !== 'base64' || (f.content.length % 4 === 0 && base64.test(f.content)), {
          message: 'content is not valid base64',
          path: ['content'],
        }),
    )
    .min(1, 'Add at least one file.')
    .max(200),
});

/**
 * Submit a lab attempt as JSON (scripts, the load benchmark; the lab page uses a server action with the same
 * rules): `{ labId, files: [{ path, content, encoding?: 'utf8' | 'base64' }] }` → 202 `{ submissionId }`, then poll
 * GET /api/submissions/<id>. Same-origin only (CSRF), signed in, the lab's limits (413), the per-minute and queue
 * limits (429).
 */
export const POST = route({ body }, async ({ body: input, user }) => {
  const files = input.files.map((f) => ({ path: f.path, content: new Uint8Array(Buffer.from(f.content, f.encoding === 'base64' ? 'base64' : 'utf8')) }));
  const { submissionId } = await submitLabAttempt(user!, { labId: input.labId, files });
  return NextResponse.json({ submissionId, status: `/api/submissions/${submissionId}` }, { status: 202, headers: { 'Cache-Control': 'no-store' } });
});

export const GET = methodNotAllowed(['POST']);
