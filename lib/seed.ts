import crypto from 'node:crypto';
import { getDb } from './db';
import { hashPassword } from './auth/password';
import type { Role } from './generated/prisma/enums';

/** Demo users, a cohort and a study group; safe to run any number of times. */
export async function seedDemoData(accounts: { email: string; name: string; role: Role }[], password: string): Promise<void> {
  const db = getDb();
  const passwordHash = await hashPassword(password);
  const users = new Map<string, string>();
  for (const a of accounts) {
    const u = await db.user.upsert({
      where: { email: a.email },
      create: { email: a.email, name: a.name, role: a.role, passwordHash },
      update: {},
      select: { id: true },
    });
    users.set(a.email, u.id);
  }
  const instructor = accounts.find((a) => a.role === 'INSTRUCTOR');
  const learners = accounts.filter((a) => a.role === 'LEARNER');
  if (!instructor) return;
  const cohort =
    (await db.cohort.findFirst({ where: { name: 'DevOps 2026 Autumn', instructorId: users.get(instructor.email)! } })) ??
    (await db.cohort.create({
      data: { name: 'DevOps 2026 Autumn', instructorId: users.get(instructor.email)!, inviteCode: crypto.randomBytes(6).toString('base64url') },
    }));
  if ((await db.cohortWeek.count({ where: { cohortId: cohort.id } })) === 0) {
    // The demo cohort started three days ago: week 1 is open and due in four days, later weeks open one by one.
    const start = Date.now() - 3 * 24 * 3600 * 1000;
    const week = 7 * 24 * 3600 * 1000;
    await db.cohortWeek.createMany({
      data: Array.from({ length: 10 }, (_, i) => ({
        cohortId: cohort.id,
        week: i + 1,
        unlockAt: new Date(start + i * week),
        dueAt: new Date(start + (i + 1) * week),
      })),
    });
  }
  for (const l of learners) {
    await db.cohortMember.upsert({
      where: { cohortId_userId: { cohortId: cohort.id, userId: users.get(l.email)! } },
      create: { cohortId: cohort.id, userId: users.get(l.email)! },
      update: {},
    });
  }
  const owner = learners[0];
  if (!owner) return;
  const group =
    (await db.studyGroup.findFirst({ where: { name: 'Weekend Study Group', ownerId: users.get(owner.email)! } })) ??
    (await db.studyGroup.create({
      data: { name: 'Weekend Study Group', ownerId: users.get(owner.email)!, inviteCode: crypto.randomBytes(6).toString('base64url'), cohortId: cohort.id },
    }));
  for (const l of learners) {
    await db.groupMember.upsert({
      where: { groupId_userId: { groupId: group.id, userId: users.get(l.email)! } },
      create: { groupId: group.id, userId: users.get(l.email)! },
      update: {},
    });
  }
}
