import { getDb } from '../db';
import { loadContent } from '../content/index';
import { getLab } from '../labs/registry';
import { maxPoints } from '../labs/manifest';
import { learnerSchedule } from '../cohorts/schedule';

export type NodeState = 'not-started' | 'learning' | 'done' | 'lab-passed' | 'skipped';

export interface RoadmapNode {
  week: number;
  lessonsTotal: number;
  lessonsDone: number;
  labId?: string;
  labBest?: number;
  labMax?: number;
  labPassed: boolean;
  state: NodeState;
  hasContent: boolean;
  /** From the learner's cohort schedule (absent when self-paced). A locked week is still readable; it shows when it opens. */
  opensAt?: Date;
  dueAt?: Date;
  locked: boolean;
  /** Past the due date and the lab not passed. */
  overdue: boolean;
}

/**
 * One node per module with its state for a user (or none). Lessons are self-reported; the lab counts only when a
 * graded result reached the pass mark, so "lab passed" is progress backed by a verified result.
 */
export async function getRoadmap(userId: string | null): Promise<RoadmapNode[]> {
  const modules = loadContent();
  const db = getDb();
  const lessons = userId ? await db.lessonProgress.findMany({ where: { userId } }) : [];
  const labs = userId ? await db.labProgress.findMany({ where: { userId } }) : [];
  const schedule = userId ? await learnerSchedule(userId) : new Map();
  const now = new Date();
  const nodes: RoadmapNode[] = [];
  for (let week = 0; week <= 10; week++) {
    const m = modules.find((x) => x.week === week);
    const labId = m?.meta.lab ?? undefined;
    const lab = labId ? getLab(labId) : undefined;
    const lp = labs.find((l) => l.labId === labId);
    const mine = lessons.filter((l) => l.week === week);
    const done = mine.filter((l) => l.state === 'DONE').length;
    const skipped = mine.filter((l) => l.state === 'SKIPPED').length;
    const total = m?.lessons.length ?? 0;
    let state: NodeState = 'not-started';
    if (lp?.passed) state = 'lab-passed';
    else if (total > 0 && done === total) state = 'done';
    else if (total > 0 && skipped === total) state = 'skipped';
    else if (mine.length > 0 || lp) state = 'learning';
    nodes.push({
      week,
      lessonsTotal: total,
      lessonsDone: done,
      labId: lab ? labId : undefined,
      labBest: lp?.bestScore,
      labMax: lab ? maxPoints(lab.manifest) : undefined,
      labPassed: Boolean(lp?.passed),
      state,
      hasContent: total > 0,
      opensAt: schedule.get(week)?.unlockAt,
      dueAt: schedule.get(week)?.dueAt,
      locked: !!schedule.get(week) && schedule.get(week)!.unlockAt > now,
      overdue: !!schedule.get(week) && schedule.get(week)!.dueAt < now && !lp?.passed,
    });
  }
  return nodes;
}
