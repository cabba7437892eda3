/**
 * One running project (issue 17 §3): a learner's passing work of an earlier lab offered as the starting point of a
 * later one (the later lab's manifest names it: `startFrom`). Only the acting learner's own attempts are read: the
 * owner check is the query's `userId`, next to the data, whoever the actor is (an admin gets their own work too).
 */
import { getDb } from '../db';
import type { Actor } from '../auth/actor';
import type { Bilingual } from '../labs/manifest';
import { getLab } from '../labs/registry';

export interface StartFromAttempt {
  submissionId: string;
  number: number | null;
  score: number;
  maxScore: number;
  /** The attempt's files under this lab's paths (the manifest's mapping), text only. */
  files: { path: string; content: string }[];
}

export interface StartFromOffer {
  /** The earlier lab, its week and title. */
  lab: string;
  week: number;
  title: Bilingual;
  /** This lab's files the offer fills. */
  targets: string[];
  /** The learner's best passing attempt of the earlier lab; null when they have not passed it (yet). */
  attempt: StartFromAttempt | null;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The earlier lab's files under this lab's paths: `mapping` is earlier path → this lab's path. Files the mapping does
 * not name stay behind; a file that is not UTF-8 text is left out (the editor holds text).
 */
export function mapStartFromFiles(files: { path: string; content: Uint8Array }[], mapping: Record<string, string>): { path: string; content: string }[] {
  const out: { path: string; content: string }[] = [];
  for (const [src, target] of Object.entries(mapping)) {
    const f = files.find((x) => x.path === src);
    if (!f) continue;
    try {
      out.push({ path: target, content: utf8.decode(f.content) });
    } catch {
      /* not text: left out */
    }
  }
  return out;
}

/**
 * What the lab page offers `actor` on `labId`: one entry per `startFrom` of its manifest, each with the actor's best
 * passing graded attempt of the earlier lab (highest score, then newest; practice runs from a workspace are not
 * attempts) or none. Nothing is submitted or written here.
 */
export async function startFromOffers(actor: Actor, labId: string): Promise<StartFromOffer[]> {
  const lab = getLab(labId);
  if (!lab) return [];
  const out: StartFromOffer[] = [];
  for (const sf of lab.manifest.startFrom) {
    const from = getLab(sf.lab);
    if (!from) continue;
    const best = await getDb().submission.findFirst({
      where: { userId: actor.id, labId: sf.lab, practice: false, status: 'GRADED', result: { is: { passed: true, gradable: true } } },
      orderBy: [{ result: { score: 'desc' } }, { createdAt: 'desc' }],
      select: { id: true, number: true, result: { select: { score: true, maxScore: true } }, files: { where: { path: { in: Object.keys(sf.files) } } } },
    });
    const files = best ? mapStartFromFiles(best.files, sf.files) : [];
    out.push({
      lab: sf.lab,
      week: from.manifest.week,
      title: from.manifest.title,
      targets: Object.values(sf.files),
      attempt:
        best?.result && files.length ? { submissionId: best.id, number: best.number, score: best.result.score, maxScore: best.result.maxScore, files } : null,
    });
  }
  return out;
}
