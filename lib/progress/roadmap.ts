import { getDb } from '../db';
import { loadContent, moduleLabs } from '../content/index';
import { getLab } from '../labs/registry';
import { maxPoints } from '../labs/manifest';
import { learnerSchedule } from '../cohorts/schedule';
import type { Actor } from '../auth/actor';

/** A week's state at a glance. "lab-passed" only ever comes from a graded result at or above the lab's pass mark. */
export type NodeState = 'not-started' | 'learning' | 'done' | 'lab-passed' | 'skipped';
/** A lesson's self-reported state (as on roadmap.sh). */
export type LessonNodeState = 'not-started' | 'learning' | 'done' | 'skipped';
/** A lab's state: attempted means graded at least once below the pass mark. */
type LabNodeState = 'not-started' | 'attempted' | 'passed';

interface RoadmapLesson {
  slug: string;
  title: { ko: string; en: string };
  minutes: number;
  state: LessonNodeState;
}

/** One lab of a week: the build lab, or a troubleshooting lab. */
interface RoadmapLab {
  id: string;
  title: { ko: string; en: string };
  purpose: 'build' | 'troubleshoot';
  best?: number;
  max: number;
  attempts: number;
  passed: boolean;
  state: LabNodeState;
}

export interface RoadmapNode {
  week: number;
  title: { ko: string; en: string } | null;
  lessons: RoadmapLesson[];
  lessonsTotal: number;
  lessonsDone: number;
  lessonsSkipped: number;
  /** Every lab of the week in order; the `lab*` fields below describe the first one not passed (or the first). */
  labs: RoadmapLab[];
  labId?: string;
  labTitle?: { ko: string; en: string };
  labBest?: number;
  labMax?: number;
  labAttempts: number;
  /** Every lab of the week passed. */
  labPassed: boolean;
  labState: LabNodeState;
  state: NodeState;
  hasContent: boolean;
  /** From the learner's cohort schedule (absent when self-paced). A locked week is still readable; it shows when it opens. */
  opensAt?: Date;
  dueAt?: Date;
  extended: boolean;
  locked: boolean;
  /** Past the due date and the lab not passed. */
  overdue: boolean;
}

/**
 * The acting user's progress in one week: each lesson's self-reported state and the best result of each given lab.
 * Nobody signed in: nothing.
 */
export async function weekProgress(actor: Actor | null, week: number, labIds: string[]) {
  if (!actor) return { lessons: [], labs: [] };
  const db = getDb();
  const [lessons, labs] = await Promise.all([
    db.lessonProgress.findMany({ where: { userId: actor.id, week }, select: { slug: true, state: true } }),
    labIds.length
      ? db.labProgress.findMany({ where: { userId: actor.id, labId: { in: labIds } }, select: { labId: true, bestScore: true, maxScore: true, passed: true } })
      : [],
  ]);
  return { lessons, labs };
}

/**
 * One node per module (0 = the introduction, 1-10) with its lessons and lab, for a user (or nobody: all not started).
 * Lessons are self-reported; the lab counts only when a graded result reached the pass mark (LabProgress.passed).
 * Only the user's own rows are read: callers pass the acting user's id.
 */
export async function getRoadmap(userId: string | null, now: Date = new Date()): Promise<RoadmapNode[]> {
  const modules = loadContent();
  const db = getDb();
  const [lessons, labs, schedule] = userId
    ? await Promise.all([db.lessonProgress.findMany({ where: { userId } }), db.labProgress.findMany({ where: { userId } }), learnerSchedule(userId)])
    : [[], [], new Map()];
  const nodes: RoadmapNode[] = [];
  for (let week = 0; week <= 10; week++) {
    const m = modules.find((x) => x.week === week);
    const weekLabs: RoadmapLab[] = (m ? moduleLabs(m.meta) : []).flatMap((id) => {
      const lab = getLab(id);
      if (!lab) return [];
      const p = labs.find((l) => l.labId === id);
      return [
        {
          id,
          title: lab.manifest.title,
          purpose: lab.manifest.purpose,
          best: p?.bestScore,
          max: maxPoints(lab.manifest),
          attempts: p?.attempts ?? 0,
          passed: Boolean(p?.passed),
          state: p?.passed ? 'passed' : p ? 'attempted' : 'not-started',
        },
      ];
    });
    const allPassed = weekLabs.length > 0 && weekLabs.every((l) => l.passed);
    const lead = weekLabs.find((l) => !l.passed) ?? weekLabs[0];
    const mine = lessons.filter((l) => l.week === week);
    const items: RoadmapLesson[] = (m?.lessons ?? []).map((l) => {
      const p = mine.find((x) => x.slug === l.slug);
      return {
        slug: l.slug,
        title: { ko: l.meta.ko.title, en: l.meta.en.title },
        minutes: l.meta.en.minutes,
        state: p ? (p.state.toLowerCase() as LessonNodeState) : 'not-started',
      };
    });
    const done = items.filter((l) => l.state === 'done').length;
    const skipped = items.filter((l) => l.state === 'skipped').length;
    const total = items.length;
    let state: NodeState = 'not-started';
    if (allPassed) state = 'lab-passed';
    else if (total > 0 && done === total) state = 'done';
    else if (total > 0 && skipped === total) state = 'skipped';
    else if (items.some((l) => l.state !== 'not-started') || weekLabs.some((l) => l.state !== 'not-started')) state = 'learning';
    const win = schedule.get(week);
    nodes.push({
      week,
      title: m ? m.meta.title : null,
      lessons: items,
      lessonsTotal: total,
      lessonsDone: done,
      lessonsSkipped: skipped,
      labs: weekLabs,
      labId: lead?.id,
      labTitle: lead?.title,
      labBest: lead?.best,
      labMax: lead?.max,
      labAttempts: lead?.attempts ?? 0,
      labPassed: allPassed,
      labState: allPassed ? 'passed' : weekLabs.some((l) => l.state !== 'not-started') ? 'attempted' : 'not-started',
      state,
      hasContent: total > 0,
      opensAt: win?.unlockAt,
      dueAt: win?.dueAt,
      extended: win?.extended ?? false,
      locked: !!win && win.unlockAt > now,
      overdue: !!win && win.dueAt < now && weekLabs.length > 0 && !allPassed,
    });
  }
  return nodes;
}

/**
 * The week a learner is on. With a cohort schedule: the latest week that has opened (the cohort's week, whether or not
 * the learner is behind). Self-paced: the first week with content that is not finished.
 */
export function currentWeek(nodes: RoadmapNode[]): RoadmapNode {
  const opened = nodes.filter((n) => n.opensAt && !n.locked);
  if (opened.length) return opened.reduce((a, b) => (b.opensAt! > a.opensAt! ? b : a));
  if (nodes.some((n) => n.opensAt)) {
    // Scheduled, but nothing has opened yet: the introduction (or the first week) until it does.
    return nodes.find((n) => n.hasContent && !n.opensAt) ?? nodes[0]!;
  }
  const finished = (n: RoadmapNode) => n.state === 'lab-passed' || n.state === 'skipped' || (n.state === 'done' && !n.labId);
  return nodes.find((n) => n.hasContent && !finished(n)) ?? nodes.find((n) => n.hasContent) ?? nodes[0]!;
}

export type NextStep =
  | { kind: 'lesson'; week: number; slug: string; title: { ko: string; en: string } }
  | { kind: 'lab'; week: number; labId: string; title: { ko: string; en: string } }
  | { kind: 'none'; week: number };

/** The first lesson of the week not marked done (skipped ones are passed over), or its first lab not passed. */
export function nextStep(node: RoadmapNode): NextStep {
  const lesson = node.lessons.find((l) => l.state === 'not-started' || l.state === 'learning');
  if (lesson) return { kind: 'lesson', week: node.week, slug: lesson.slug, title: lesson.title };
  if (node.labId && !node.labPassed) return { kind: 'lab', week: node.week, labId: node.labId, title: node.labTitle! };
  return { kind: 'none', week: node.week };
}
