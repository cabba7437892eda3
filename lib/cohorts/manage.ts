import crypto from 'node:crypto';
import { z } from 'zod';
import { getDb } from '../db';
import type { Actor } from '../auth/actor';
import { AppError, msg } from '../errors';
import { audit } from '../audit';
import { getLab } from '../labs/registry';
import { teachableCohort } from './gradebook';
import { fillSchedule } from './schedule';

/**
 * Running a cohort: invitations by e-mail, members, the schedule, the late policy, extensions and grade overrides.
 * Every function takes the acting user and checks, next to the data, that they teach the cohort (admins: any);
 * a cohort or learner they may not see is not_found. Changes and their audit entries land in one transaction.
 */

const MAX_INVITES = 500;
const emailSchema = z.string().email().max(254);

/**
 * E-mail addresses out of pasted text or a CSV file: any cell or word with an @ is taken (a header row such as
 * "name,email" is skipped by itself), lower-cased and de-duplicated. Returns what was taken and what was not an address.
 */
export function parseEmailList(text: string): { emails: string[]; invalid: string[] } {
  const tokens = text.split(/[\s,;"'<>]+/).filter((t) => t.includes('@'));
  const emails = new Set<string>();
  const invalid: string[] = [];
  for (const t of tokens) {
    const e = t.trim().toLowerCase();
    if (emailSchema.safeParse(e).success) emails.add(e);
    else invalid.push(t.slice(0, 100));
  }
  return { emails: [...emails], invalid };
}

export interface InviteOutcome {
  /**
   * Invited: each address's owner joins by accepting on their dashboard (after signing up, when they have no account
   * yet). The same answer whether or not the address has an account.
   */
  invited: string[];
  /** Already in the cohort (members, and the cohort's instructor): people the instructor sees anyway. */
  already: string[];
}

/**
 * Invite by e-mail. An invitation only: nobody is enrolled by it (an instructor could otherwise put anyone, another
 * instructor or an admin, into their cohort, see their activity and make their work count late). Every address that
 * is not already in the cohort becomes a pending `CohortInvite`, and the instructor is told "invited" for each, so the
 * answer (and the invite list) is the same for an address with an account and one without: no account lookup at all.
 */
export async function inviteByEmail(actor: Actor, cohortId: string, rawEmails: string[]): Promise<InviteOutcome> {
  const cohort = await teachableCohort(actor, cohortId);
  const emails = [...new Set(rawEmails.map((e) => e.trim().toLowerCase()))];
  if (!emails.length) throw new AppError('invalid_input', { message: msg('errors.noEmails') });
  if (emails.length > MAX_INVITES) throw new AppError('invalid_input', { message: msg('errors.tooManyEmails', { max: MAX_INVITES }) });
  const bad = emails.find((e) => !emailSchema.safeParse(e).success);
  if (bad) throw new AppError('invalid_input', { message: msg('errors.notAnEmail', { address: bad.slice(0, 100) }) });
  const db = getDb();
  return db.$transaction(async (tx) => {
    // Only people already in the cohort are told apart; they are on the instructor's member list anyway.
    const [members, teacher] = await Promise.all([
      tx.cohortMember.findMany({ where: { cohortId, user: { email: { in: emails } } }, select: { user: { select: { email: true } } } }),
      tx.user.findUnique({ where: { id: cohort.instructorId }, select: { email: true } }),
    ]);
    const inside = new Set([...members.map((m) => m.user.email), ...(teacher ? [teacher.email] : [])]);
    const out: InviteOutcome = { invited: emails.filter((e) => !inside.has(e)), already: emails.filter((e) => inside.has(e)) };
    if (out.invited.length) {
      await tx.cohortInvite.createMany({ data: out.invited.map((email) => ({ cohortId, email })), skipDuplicates: true });
      // An invite accepted before by someone who has since left is open again; a declined one stays declined (asking
      // again does not pester the person, and the instructor sees "invited" either way).
      await tx.cohortInvite.updateMany({ where: { cohortId, email: { in: out.invited }, acceptedAt: { not: null } }, data: { acceptedAt: null } });
    }
    await audit(
      {
        actorId: actor.id,
        action: 'cohort.invite',
        targetType: 'cohort',
        targetId: cohortId,
        detail: { invited: out.invited.length, already: out.already.length },
      },
      tx,
    );
    return out;
  });
}

async function emailOf(actor: Actor): Promise<string> {
  const me = await getDb().user.findUnique({ where: { id: actor.id }, select: { email: true } });
  if (!me) throw new AppError('not_found');
  return me.email.toLowerCase();
}

/** The cohorts the acting user is a member of (their dashboard). */
export async function myCohorts(actor: Actor): Promise<{ cohortId: string; name: string }[]> {
  const rows = await getDb().cohortMember.findMany({ where: { userId: actor.id }, select: { cohortId: true, cohort: { select: { name: true } } } });
  return rows.map((r) => ({ cohortId: r.cohortId, name: r.cohort.name }));
}

/** The cohorts whose e-mail invite waits for this person's answer (their dashboard), newest first. */
export async function myCohortInvites(actor: Actor) {
  const email = await emailOf(actor);
  const rows = await getDb().cohortInvite.findMany({
    where: { email, acceptedAt: null, declinedAt: null, cohort: { members: { none: { userId: actor.id } } } },
    orderBy: { createdAt: 'desc' },
    select: { cohortId: true, createdAt: true, cohort: { select: { name: true, instructor: { select: { name: true } } } } },
  });
  return rows.map((r) => ({ cohortId: r.cohortId, invitedAt: r.createdAt, name: r.cohort.name, instructor: r.cohort.instructor.name }));
}

/** The person whose e-mail was invited says yes: a member from now on (audited). Anything else is not_found. */
export async function acceptCohortInvite(actor: Actor, cohortId: string): Promise<{ name: string }> {
  const email = await emailOf(actor);
  return getDb().$transaction(async (tx) => {
    const r = await tx.cohortInvite.updateMany({ where: { cohortId, email, acceptedAt: null, declinedAt: null }, data: { acceptedAt: new Date() } });
    if (r.count !== 1) throw new AppError('not_found', { message: msg('errors.noSuchInvitation') });
    const added = await tx.cohortMember.createMany({ data: [{ cohortId, userId: actor.id }], skipDuplicates: true });
    if (added.count)
      await audit(
        { actorId: actor.id, action: 'cohort.member.add', targetType: 'cohort', targetId: cohortId, detail: { userId: actor.id, via: 'email-invite' } },
        tx,
      );
    return tx.cohort.findUniqueOrThrow({ where: { id: cohortId }, select: { name: true } });
  });
}

/** The person says no: the invite is no longer offered to them; the instructor still sees "invited" (learns nothing). */
export async function declineCohortInvite(actor: Actor, cohortId: string): Promise<void> {
  const email = await emailOf(actor);
  await getDb().$transaction(async (tx) => {
    const r = await tx.cohortInvite.updateMany({ where: { cohortId, email, acceptedAt: null, declinedAt: null }, data: { declinedAt: new Date() } });
    if (r.count !== 1) throw new AppError('not_found', { message: msg('errors.noSuchInvitation') });
    await audit({ actorId: actor.id, action: 'cohort.invite', targetType: 'cohort', targetId: cohortId, detail: { declinedBy: actor.id } }, tx);
  });
}

/** The cohort's invites as the instructor sees them: the address and when; never whether it has an account or declined. */
export async function listInvites(actor: Actor, cohortId: string) {
  await teachableCohort(actor, cohortId);
  return getDb().cohortInvite.findMany({ where: { cohortId, acceptedAt: null }, orderBy: { createdAt: 'desc' }, select: { email: true, createdAt: true } });
}

/** A pending invite is withdrawn (declined ones alike: the instructor cannot tell them apart). */
export async function revokeInvite(actor: Actor, cohortId: string, email: string): Promise<void> {
  await teachableCohort(actor, cohortId);
  await getDb().$transaction(async (tx) => {
    const r = await tx.cohortInvite.deleteMany({ where: { cohortId, email: email.toLowerCase(), acceptedAt: null } });
    if (r.count !== 1) throw new AppError('not_found');
    await audit({ actorId: actor.id, action: 'cohort.invite', targetType: 'cohort', targetId: cohortId, detail: { revoked: email.toLowerCase() } }, tx);
  });
}

/** A learner leaves the cohort (their submissions stay theirs; their extensions in this cohort go). */
export async function removeMember(actor: Actor, cohortId: string, userId: string): Promise<void> {
  await teachableCohort(actor, cohortId);
  await getDb().$transaction(async (tx) => {
    const r = await tx.cohortMember.deleteMany({ where: { cohortId, userId } });
    if (r.count !== 1) throw new AppError('not_found');
    await tx.extension.deleteMany({ where: { cohortId, userId } });
    await audit({ actorId: actor.id, action: 'cohort.member.remove', targetType: 'cohort', targetId: cohortId, detail: { userId } }, tx);
  });
}

/** A new invite link: the old one stops working. */
export async function rotateInviteCode(actor: Actor, cohortId: string): Promise<string> {
  await teachableCohort(actor, cohortId);
  const inviteCode = crypto.randomBytes(9).toString('base64url');
  await getDb().$transaction(async (tx) => {
    await tx.cohort.update({ where: { id: cohortId }, data: { inviteCode } });
    // The code itself stays out of the log: it is a credential.
    await audit({ actorId: actor.id, action: 'cohort.invite', targetType: 'cohort', targetId: cohortId, detail: { rotatedLink: true } }, tx);
  });
  return inviteCode;
}

export interface WeekInput {
  week: number;
  unlockAt: Date;
  dueAt: Date;
}

/**
 * Replaces the cohort's schedule. Weeks 1-10, each at most once, due after it opens. An empty list makes the cohort
 * self-paced. Submissions already made keep the late mark they got when they were made.
 */
export async function setSchedule(actor: Actor, cohortId: string, weeks: WeekInput[]): Promise<void> {
  await teachableCohort(actor, cohortId);
  const seen = new Set<number>();
  for (const w of weeks) {
    if (!Number.isInteger(w.week) || w.week < 1 || w.week > 10)
      throw new AppError('invalid_input', { message: msg('errors.weekOutOfRange', { week: w.week }) });
    if (seen.has(w.week)) throw new AppError('invalid_input', { message: msg('errors.weekTwice', { week: w.week }) });
    seen.add(w.week);
    if (!(w.dueAt.getTime() > w.unlockAt.getTime())) throw new AppError('invalid_input', { message: msg('errors.dueBeforeOpen', { week: w.week }) });
  }
  await getDb().$transaction(async (tx) => {
    await tx.cohortWeek.deleteMany({ where: { cohortId } });
    if (weeks.length) await tx.cohortWeek.createMany({ data: weeks.map((w) => ({ cohortId, week: w.week, unlockAt: w.unlockAt, dueAt: w.dueAt })) });
    const detail = {
      weeks: [...weeks].sort((a, b) => a.week - b.week).map((w) => ({ week: w.week, unlockAt: w.unlockAt.toISOString(), dueAt: w.dueAt.toISOString() })),
    };
    await audit({ actorId: actor.id, action: 'cohort.schedule', targetType: 'cohort', targetId: cohortId, detail }, tx);
  });
}

/** The 10 weeks one week apart from `start`, counted on the wall clock of `zone` (the "fill" button). */
export async function fillCohortSchedule(actor: Actor, cohortId: string, start: Date, zone?: string): Promise<void> {
  await setSchedule(actor, cohortId, fillSchedule(start, 10, zone));
}

export async function setLatePolicy(actor: Actor, cohortId: string, latePenaltyPct: number): Promise<void> {
  await teachableCohort(actor, cohortId);
  if (!Number.isInteger(latePenaltyPct) || latePenaltyPct < 0 || latePenaltyPct > 100)
    throw new AppError('invalid_input', { message: msg('errors.latePenaltyRange') });
  await getDb().$transaction(async (tx) => {
    const prev = await tx.cohort.findUniqueOrThrow({ where: { id: cohortId }, select: { latePenaltyPct: true } });
    await tx.cohort.update({ where: { id: cohortId }, data: { latePenaltyPct } });
    await audit(
      { actorId: actor.id, action: 'cohort.latePolicy', targetType: 'cohort', targetId: cohortId, detail: { from: prev.latePenaltyPct, to: latePenaltyPct } },
      tx,
    );
  });
}

async function memberOf(cohortId: string, userId: string) {
  const m = await getDb().cohortMember.findUnique({ where: { cohortId_userId: { cohortId, userId } }, select: { userId: true } });
  if (!m) throw new AppError('not_found');
}

/** A later due date for one learner and one scheduled week; `null` removes it. */
export async function setExtension(actor: Actor, cohortId: string, userId: string, week: number, dueAt: Date | null): Promise<void> {
  const cohort = await teachableCohort(actor, cohortId);
  await memberOf(cohortId, userId);
  const w = cohort.schedule.find((x) => x.week === week);
  if (!w) throw new AppError('invalid_input', { message: msg('errors.weekNotScheduled', { week }) });
  if (dueAt !== null && dueAt.getTime() <= w.dueAt.getTime()) throw new AppError('invalid_input', { message: msg('errors.extensionTooEarly') });
  await getDb().$transaction(async (tx) => {
    const key = { cohortId_userId_week: { cohortId, userId, week } };
    const prev = await tx.extension.findUnique({ where: key, select: { dueAt: true } });
    if (dueAt === null) {
      if (!prev) return;
      await tx.extension.delete({ where: key });
    } else {
      await tx.extension.upsert({ where: key, create: { cohortId, userId, week, dueAt }, update: { dueAt } });
    }
    const detail = { userId, week, from: prev?.dueAt.toISOString() ?? null, to: dueAt?.toISOString() ?? null };
    await audit({ actorId: actor.id, action: 'cohort.extension', targetType: 'cohort', targetId: cohortId, detail }, tx);
  });
}

export async function listExtensions(actor: Actor, cohortId: string, userId?: string) {
  await teachableCohort(actor, cohortId);
  return getDb().extension.findMany({ where: { cohortId, ...(userId ? { userId } : {}) }, orderBy: [{ userId: 'asc' }, { week: 'asc' }] });
}

/**
 * An instructor's score for one learner's lab, shown and counted in the gradebook instead of the graded best
 * (`score: null` removes it). The reason is kept; every change is audited with the previous value.
 */
export async function setGradeOverride(actor: Actor, cohortId: string, userId: string, labId: string, score: number | null, reason: string): Promise<void> {
  await teachableCohort(actor, cohortId);
  await memberOf(cohortId, userId);
  const lab = getLab(labId);
  if (!lab) throw new AppError('not_found');
  const max = lab.manifest.checks.reduce((s, c) => s + c.points, 0);
  if (score !== null && !(Number.isFinite(score) && score >= 0 && score <= max))
    throw new AppError('invalid_input', { message: msg('errors.scoreRange', { max }) });
  if (score !== null && !reason.trim()) throw new AppError('invalid_input', { message: msg('errors.overrideReason') });
  await getDb().$transaction(async (tx) => {
    const key = { cohortId_userId_labId: { cohortId, userId, labId } };
    const prev = await tx.gradeOverride.findUnique({ where: key });
    if (score === null) {
      if (!prev) return;
      await tx.gradeOverride.delete({ where: key });
    } else {
      await tx.gradeOverride.upsert({
        where: key,
        create: { cohortId, userId, labId, score, reason: reason.trim(), byId: actor.id },
        update: { score, reason: reason.trim(), byId: actor.id },
      });
    }
    await audit(
      {
        actorId: actor.id,
        action: 'grade.override',
        targetType: 'cohort',
        targetId: cohortId,
        detail: { userId, labId, score, previous: prev?.score ?? null, reason: reason.trim() },
      },
      tx,
    );
  });
}

/** Everything the cohort's overview page shows, for someone who teaches it. */
export async function cohortOverview(actor: Actor, cohortId: string) {
  const cohort = await teachableCohort(actor, cohortId);
  const db = getDb();
  const [members, invites, deliveries, extensions] = await Promise.all([
    db.cohortMember.findMany({ where: { cohortId }, include: { user: { select: { id: true, name: true, email: true } } }, orderBy: { joinedAt: 'asc' } }),
    db.cohortInvite.findMany({ where: { cohortId, acceptedAt: null }, orderBy: { createdAt: 'desc' }, select: { email: true, createdAt: true } }),
    db.webhookDelivery.findMany({ where: { cohortId }, orderBy: { createdAt: 'desc' }, take: 10 }),
    db.extension.count({ where: { cohortId } }),
  ]);
  return { cohort, members, invites, deliveries, extensions };
}
