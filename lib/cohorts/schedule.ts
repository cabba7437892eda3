import { getDb } from '../db';
import { DEFAULT_TIME_ZONE, fromZonedInput, wallClockMs } from '../time-zone';

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

const WEEK_MS = 7 * 24 * 3600 * 1000;

/**
 * The 10 weeks one week apart from `start`: week n opens at start + (n-1) weeks and is due when the next opens. Weeks
 * are counted on the wall clock of `zone`, so "Mondays 09:00" stay 09:00 across a daylight-saving change.
 */
export function fillSchedule(start: Date, weeks = 10, zone = DEFAULT_TIME_ZONE): { week: number; unlockAt: Date; dueAt: Date }[] {
  const wall = wallClockMs(start.getTime(), zone);
  const seconds = start.getTime() % 60_000; // the wall clock is read to the minute; keep the rest as it was
  const nth = (i: number) =>
    new Date((fromZonedInput(new Date(wall + i * WEEK_MS).toISOString().slice(0, 16), zone)?.getTime() ?? start.getTime() - seconds + i * WEEK_MS) + seconds);
  return Array.from({ length: weeks }, (_, i) => ({ week: i + 1, unlockAt: nth(i), dueAt: nth(i + 1) }));
}
