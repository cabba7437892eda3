'use server';
import { z } from 'zod';
import { action } from '@/lib/actions';
import { createCohort, joinCohort } from '@/lib/cohorts/gradebook';
import { regradeLab, regradeSubmission } from '@/lib/cohorts/regrade';
import { setCohortWebhook } from '@/lib/cohorts/gradebook';
import { webhookInput } from '@/lib/notify/webhook';

const plainText = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'Required.')
    .max(max, `At most ${max} characters.`)
    .refine((s) => ![...s].some((c) => c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127), 'No control characters.');

export const createCohortAction = action(
  {
    schema: z.object({
      name: plainText(80),
      start: z.coerce.date({ error: 'Give a start date.' }).refine((d) => d.getFullYear() >= 2020 && d.getFullYear() <= 2100, 'Give a start date between 2020 and 2100.'),
      latePenaltyPct: z.coerce.number().int().min(0).max(100),
    }),
    roles: ['INSTRUCTOR', 'ADMIN'],
  },
  async (input, user) => {
    const c = await createCohort(user!, input);
    return { id: c.id };
  },
);

export const joinCohortAction = action({ schema: z.object({ code: z.string().regex(/^[A-Za-z0-9_-]{6,40}$/, 'Not an invite code.') }) }, async ({ code }, user) => {
  const c = await joinCohort(user!, code);
  return { name: c.name };
});

const id = z.string().regex(/^[a-z0-9]{10,40}$/, 'Not an id.');

export const regradeLabAction = action({ schema: z.object({ cohortId: id, labId: z.string().regex(/^[a-z0-9-]{3,63}$/) }), roles: ['INSTRUCTOR', 'ADMIN'] }, async (i, user) => regradeLab(user!, i.cohortId, i.labId));

export const regradeSubmissionAction = action({ schema: z.object({ cohortId: id, submissionId: id }), roles: ['INSTRUCTOR', 'ADMIN'] }, async (i, user) => regradeSubmission(user!, i.cohortId, i.submissionId));

export const setWebhookAction = action(
  { schema: z.object({ cohortId: id, webhook: webhookInput.nullable(), stuckAfter: z.coerce.number().int().min(1).max(20) }), roles: ['INSTRUCTOR', 'ADMIN'] },
  async (i, user) => setCohortWebhook(user!, i.cohortId, i.webhook, i.stuckAfter),
);
