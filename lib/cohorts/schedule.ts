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

const WEEK_MS = 7 * 24 * 3600 * 1000;

/** The 10 weeks one week apart from `start`: week n opens at start + (n-1) weeks and is due when the next opens. */
export function fillSchedule(start: Date, weeks = 10): { week: number; unlockAt: Date; dueAt: Date }[] {
  return Array.from({ length: weeks }, (_, i) => ({ week: i + 1, unlockAt: new Date(start.getTime() + i * WEEK_MS), dueAt: new Date(start.getTime() + (i + 1) * WEEK_MS) }));
}

/**
 * Instructors edit dates in Korean time (the course's audience; KST has no daylight saving, so the offset is fixed
 * and the server and the browser render the same value): `2026-03-02T09:00` ⇄ a Date.
 */
const KST_MS = 9 * 3600 * 1000;
export function toKstInput(d: Date): string {
  return new Date(d.getTime() + KST_MS).toISOString().slice(0, 16);
}
export function fromKstInput(s: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?$/.test(s)) return null;
  const d = new Date(`${s.length === 10 ? `${s}T00:00` : s}:00+09:00`);
  return Number.isNaN(d.getTime()) ? null : d;
}
