import { getDb } from '../db';
import { DEFAULT_TIME_ZONE } from '../time-zone';

/** The zone days are counted in when a user has not picked one (User.timeZone): the course's home, Korea. */
const STREAK_TIME_ZONE = DEFAULT_TIME_ZONE;

/** The calendar day (YYYY-MM-DD) of an instant in a time zone. */
export function dayIn(d: Date, timeZone = STREAK_TIME_ZONE): string {
  return dayFormat(timeZone).format(d);
}

// Building an Intl.DateTimeFormat costs far more than using one; a learner's streak formats every activity of a year.
const formats = new Map<string, Intl.DateTimeFormat>();
function dayFormat(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    if (formats.size < 64) formats.set(timeZone, f);
  }
  return f;
}

function previousDay(day: string): string {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/**
 * Consecutive days, ending today or yesterday, with some activity. A streak that ended yesterday still stands
 * today (the day is not over); pure function of the activity days so it can be tested on its own.
 */
export function streakFrom(days: Iterable<string>, today: string): { days: number; activeToday: boolean } {
  const set = new Set(days);
  const activeToday = set.has(today);
  let day = activeToday ? today : previousDay(today);
  let n = 0;
  while (set.has(day)) {
    n++;
    day = previousDay(day);
  }
  return { days: n, activeToday };
}

/**
 * A learner's streak: days (in the learner's time zone, Asia/Seoul unless they picked another) on which they marked a lesson or made a
 * submission (regrades by an instructor do not count). A lesson's mark counts on the day it was last changed.
 */
export async function learnerStreak(userId: string, now: Date = new Date(), timeZone = STREAK_TIME_ZONE) {
  const db = getDb();
  const since = new Date(now.getTime() - 400 * 86_400_000);
  const [lessons, subs] = await Promise.all([
    db.lessonProgress.findMany({ where: { userId, updatedAt: { gte: since } }, select: { updatedAt: true } }),
    db.submission.findMany({ where: { userId, regradeOfId: null, createdAt: { gte: since } }, select: { createdAt: true } }),
  ]);
  const days = [...lessons.map((l) => dayIn(l.updatedAt, timeZone)), ...subs.map((s) => dayIn(s.createdAt, timeZone))];
  return { ...streakFrom(days, dayIn(now, timeZone)), timeZone };
}
