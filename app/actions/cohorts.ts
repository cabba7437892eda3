'use server';
import { z } from 'zod';
import { action } from '@/app/_server/actions';
import { createCohort, joinCohort } from '@/lib/cohorts/gradebook';
import { regradeLab, regradeLabEverywhere, regradeSubmission } from '@/lib/cohorts/regrade';
import {
  acceptCohortInvite,
  declineCohortInvite,
  fillCohortSchedule,
  inviteByEmail,
  parseEmailList,
  removeMember,
  revokeInvite,
  rotateInviteCode,
  setExtension,
  setGradeOverride,
  setLatePolicy,
  setSchedule,
} from '@/lib/cohorts/manage';
import { fromZonedInput, zoneOf } from '@/lib/time-zone';
import type { SessionUser } from '@/app/_server/session';
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
      start: z
        .string({ error: 'Give a start date.' })
        .trim()
        .refine((s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && fromZonedInput(s, 'UTC') !== null, 'Give a start date.')
        .refine((s) => s >= '2020' && s < '2101', 'Give a start date between 2020 and 2100.'),
      latePenaltyPct: z.coerce.number().int().min(0).max(100),
    }),
    roles: ['INSTRUCTOR', 'ADMIN'],
  },
  async (input, user) => {
    // Week 1 opens at 09:00 on the start date, on the instructor's clock; later weeks follow that clock.
    const c = await createCohort(user!, { ...input, start: fromZonedInput(`${input.start}T09:00`, zoneOf(user))! }, zoneOf(user));
    return { id: c.id };
  },
);

export const joinCohortAction = action(
  { schema: z.object({ code: z.string().regex(/^[A-Za-z0-9_-]{6,40}$/, 'Not an invite code.') }) },
  async ({ code }, user) => {
    const c = await joinCohort(user!, code);
    return { name: c.name };
  },
);

const id = z.string().regex(/^[a-z0-9]{10,40}$/, 'Not an id.');

export const regradeLabAction = action(
  { schema: z.object({ cohortId: id, labId: z.string().regex(/^[a-z0-9-]{3,63}$/) }), roles: ['INSTRUCTOR', 'ADMIN'] },
  async (i, user) => regradeLab(user!, i.cohortId, i.labId),
);

export const regradeSubmissionAction = action({ schema: z.object({ cohortId: id, submissionId: id }), roles: ['INSTRUCTOR', 'ADMIN'] }, async (i, user) =>
  regradeSubmission(user!, i.cohortId, i.submissionId),
);

export const setWebhookAction = action(
  { schema: z.object({ cohortId: id, webhook: webhookInput.nullable(), stuckAfter: z.coerce.number().int().min(1).max(20) }), roles: ['INSTRUCTOR', 'ADMIN'] },
  async (i, user) => setCohortWebhook(user!, i.cohortId, i.webhook, i.stuckAfter),
);

// ── Running a cohort (lib/cohorts/manage.ts checks the acting user teaches it, next to the data) ──────────────
const email = z.string().trim().toLowerCase().email('Not an e-mail address.').max(254);
/**
 * A date and time as a datetime-local input sends it (`2026-03-02T09:00`), on the wall clock of the acting user's time
 * zone (Korea time until they pick one); checked here, turned into an instant by `at` once the user is known.
 */
const localDateTime = z
  .string()
  .trim()
  .refine((s) => fromZonedInput(s, 'UTC') !== null, 'Give a date and time (YYYY-MM-DDTHH:mm).');
const at = (s: string, user: SessionUser | null) => fromZonedInput(s, zoneOf(user))!;
const labId = z.string().regex(/^[a-z0-9-]{3,63}$/, 'Not a lab id.');
const staff = { roles: ['INSTRUCTOR', 'ADMIN'] as ('INSTRUCTOR' | 'ADMIN')[] };

export const inviteEmailsAction = action(
  { schema: z.object({ cohortId: id, text: z.string().max(200_000, 'The list is too long.') }), ...staff },
  async (i, user) => {
    const { emails, invalid } = parseEmailList(i.text);
    const out = await inviteByEmail(user!, i.cohortId, emails);
    return { ...out, invalid: invalid.slice(0, 20) };
  },
);

// The person an e-mail invite is for answers it (lib/cohorts/manage.ts finds the invite by their own e-mail).
export const acceptInviteAction = action({ schema: z.object({ cohortId: id }) }, async (i, user) => acceptCohortInvite(user!, i.cohortId));

export const declineInviteAction = action({ schema: z.object({ cohortId: id }) }, async (i, user) => declineCohortInvite(user!, i.cohortId));

export const revokeInviteAction = action({ schema: z.object({ cohortId: id, email }), ...staff }, async (i, user) => revokeInvite(user!, i.cohortId, i.email));

export const removeMemberAction = action({ schema: z.object({ cohortId: id, userId: id }), ...staff }, async (i, user) =>
  removeMember(user!, i.cohortId, i.userId),
);

export const rotateInviteAction = action({ schema: z.object({ cohortId: id }), ...staff }, async (i, user) => ({
  inviteCode: await rotateInviteCode(user!, i.cohortId),
}));

export const setScheduleAction = action(
  {
    schema: z.object({
      cohortId: id,
      weeks: z.array(z.object({ week: z.coerce.number().int().min(1).max(10), unlockAt: localDateTime, dueAt: localDateTime })).max(10),
    }),
    ...staff,
  },
  async (i, user) =>
    setSchedule(
      user!,
      i.cohortId,
      i.weeks.map((w) => ({ week: w.week, unlockAt: at(w.unlockAt, user), dueAt: at(w.dueAt, user) })),
    ),
);

export const fillScheduleAction = action({ schema: z.object({ cohortId: id, start: localDateTime }), ...staff }, async (i, user) =>
  fillCohortSchedule(user!, i.cohortId, at(i.start, user), zoneOf(user)),
);

export const setLatePolicyAction = action(
  { schema: z.object({ cohortId: id, latePenaltyPct: z.coerce.number().int('Whole percent.').min(0).max(100) }), ...staff },
  async (i, user) => setLatePolicy(user!, i.cohortId, i.latePenaltyPct),
);

export const setExtensionAction = action(
  { schema: z.object({ cohortId: id, userId: id, week: z.coerce.number().int().min(1).max(10), dueAt: localDateTime.nullable() }), ...staff },
  async (i, user) => setExtension(user!, i.cohortId, i.userId, i.week, i.dueAt === null ? null : at(i.dueAt, user)),
);

export const overrideGradeAction = action(
  {
    schema: z.object({
      cohortId: id,
      userId: id,
      labId,
      score: z.union([z.null(), z.coerce.number({ error: 'Give a score.' }).min(0).max(1000)]),
      reason: plainText(300).or(z.literal('')),
    }),
    ...staff,
  },
  async (i, user) => setGradeOverride(user!, i.cohortId, i.userId, i.labId, i.score, i.reason),
);

export const regradeEverywhereAction = action({ schema: z.object({ labId }), roles: ['ADMIN'] }, async (i, user) => regradeLabEverywhere(user!, i.labId));
