import { getDb } from '../db';

export interface WeekWindow {
  week: number;
  unlockAt: Date;
  /** The learner's own due date: the cohort's, or their extension's when they have one. */
  dueAt: Date;
  cohortId: string;
  extended: boolean;
}

/**
 * The schedule a learner follows: for each week, the earliest-unlocking window among the cohorts they belong to
 * (a learner is usually in one), with their extensions applied. Weeks no cohort schedules are absent: self-paced.
 */
export async function learnerSchedule(userId: string): Promise<Map<number, WeekWindow>> {
  const db = getDb();
  const memberships = await db.cohortMember.findMany({
    where: { userId },
    select: { cohortId: true, cohort: { select: { schedule: true, extensions: { where: { userId } } } } },
  });
  const out = new Map<number, WeekWindow>();
  for (const m of memberships) {
    for (const w of m.cohort.schedule) {
      const ext = m.cohort.extensions.find((e) => e.week === w.week);
      const win: WeekWindow = { week: w.week, unlockAt: w.unlockAt, dueAt: ext ? ext.dueAt : w.dueAt, cohortId: m.cohortId, extended: !!ext };
      const cur = out.get(w.week);
      if (!cur || win.unlockAt < cur.unlockAt) out.set(w.week, win);
    }
  }
  return out;
}

/** Whether a submission made at `at` for a lab of `week` is late for this learner (false when self-paced). */
export async function isLate(userId: string, week: number, at: Date = new Date()): Promise<boolean> {
  const win = (await learnerSchedule(userId)).get(week);
  return !!win && at > win.dueAt;
}
