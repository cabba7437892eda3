/**
 * What a signed-in page shows of its reader, as one hash computed by Postgres in one query: the web process keeps
 * the page it rendered for a reader under this hash (app/_server/http/page-cache.ts), so a page is rendered again
 * exactly when something it shows has changed, whoever changed it (the learner, the worker grading, an instructor
 * editing a schedule or a cohort's name), with no invalidation to remember at each write.
 *
 * Each query lists the rows its page reads (app/(site)/dashboard/page.tsx, app/(site)/labs/[id]/page.tsx, and the
 * header in app/(site)/layout.tsx): a page that starts to show something new must add it here
 * (tests/integration/page-cache.test.ts changes each of them and expects a new hash). The hash is only ever compared
 * with itself: the cached page is the one Next rendered.
 *
 * Both also check the session: null when the user is gone or the token's session version is no longer theirs.
 */
import { rawPool } from '../db-raw';
import { getLab } from '../labs/registry';

/** The user row as the layout's header and both pages read it (the colour scheme read by name: a newer column). */
const USER = `concat_ws('|', u.role, u.email, u.name, u.lang, u."timeZone", to_jsonb(u)->>'theme')`;

/** The reader's cohorts with their names, schedules and the reader's own extensions (the schedule, the dashboard). */
const COHORTS = `(SELECT string_agg(concat_ws(',', m."cohortId", c.name,
    (SELECT string_agg(concat_ws(',', w.week, w."unlockAt", w."dueAt"), ':' ORDER BY w.week) FROM "CohortWeek" w WHERE w."cohortId" = m."cohortId"),
    (SELECT string_agg(concat_ws(',', e.week, e."dueAt"), ':' ORDER BY e.week) FROM "Extension" e WHERE e."cohortId" = m."cohortId" AND e."userId" = u.id)), ';' ORDER BY m."cohortId")
  FROM "CohortMember" m JOIN "Cohort" c ON c.id = m."cohortId" WHERE m."userId" = u.id)`;

const DASHBOARD = `SELECT u."sessionVersion" AS sv, md5(concat_ws('#', ${USER},
  (SELECT string_agg(concat_ws(',', p.week, p.slug, p.state, p."updatedAt"), ';' ORDER BY p.week, p.slug) FROM "LessonProgress" p WHERE p."userId" = u.id),
  (SELECT string_agg(concat_ws(',', p."labId", p."bestScore", p."maxScore", p.passed, p.attempts, p."updatedAt"), ';' ORDER BY p."labId") FROM "LabProgress" p WHERE p."userId" = u.id),
  ${COHORTS},
  (SELECT string_agg(concat_ws(',', g."groupId", sg.name), ';' ORDER BY g."groupId") FROM "GroupMember" g JOIN "StudyGroup" sg ON sg.id = g."groupId" WHERE g."userId" = u.id),
  (SELECT string_agg(concat_ws(',', i."cohortId", i."createdAt", i."acceptedAt", i."declinedAt", c.name, t.name), ';' ORDER BY i."cohortId")
     FROM "CohortInvite" i JOIN "Cohort" c ON c.id = i."cohortId" JOIN "User" t ON t.id = c."instructorId" WHERE i.email = u.email),
  (SELECT concat_ws(',', count(*), max(s."createdAt")) FROM "Submission" s WHERE s."userId" = u.id),
  (SELECT string_agg(concat_ws(',', x.id, x.status, x.number, x.late, r.score, r."maxScore", r.gradable, r.passed), ';' ORDER BY x."createdAt" DESC)
     FROM (SELECT s.id, s.status, s.number, s.late, s."createdAt" FROM "Submission" s WHERE s."userId" = u.id AND s.practice = false ORDER BY s."createdAt" DESC LIMIT 8) x
     LEFT JOIN "Result" r ON r."submissionId" = x.id)
)) AS fp FROM "User" u WHERE u.id = $1`;

const LAB = `SELECT u."sessionVersion" AS sv, md5(concat_ws('#', ${USER},
  (SELECT string_agg(concat_ws(',', s.id, s.status, s.number, s.late, s.practice, s."regradeOfId", r.score, r."maxScore", r.gradable, r.passed), ';' ORDER BY s."createdAt")
     FROM "Submission" s LEFT JOIN "Result" r ON r."submissionId" = s.id WHERE s."userId" = u.id AND s."labId" = $2),
  ${COHORTS},
  (SELECT concat_ws(',', w.id, w.status, w.revision, w.lang, w."updatedAt",
     (SELECT string_agg(concat_ws(',', f.path, f."updatedAt"), ';' ORDER BY f.path) FROM "WorkspaceFile" f WHERE f."workspaceId" = w.id),
     (SELECT string_agg(concat_ws(',', st."stepId", st."doneAt"), ';' ORDER BY st."stepId") FROM "WorkspaceStep" st WHERE st."workspaceId" = w.id))
     FROM "Workspace" w WHERE w."userId" = u.id AND w."labId" = $2),
  -- "Start from your week N work": the reader's passing attempts of the earlier labs the lab's startFrom names ($3).
  (SELECT string_agg(concat_ws(',', s.id, r.score), ';' ORDER BY s."createdAt")
     FROM "Submission" s JOIN "Result" r ON r."submissionId" = s.id
     WHERE s."userId" = u.id AND s."labId" = ANY($3::text[]) AND s.practice = false AND s.status = 'GRADED' AND r.passed AND r.gradable)
)) AS fp FROM "User" u WHERE u.id = $1`;

export type FingerprintedPage = { kind: 'dashboard' } | { kind: 'lab'; labId: string };

/** The page's hash for this session, or null when the session is not (or no longer) valid. */
export async function pageFingerprint(uid: string, sessionVersion: unknown, page: FingerprintedPage): Promise<string | null> {
  if (typeof sessionVersion !== 'number') return null;
  const { rows } = await rawPool().query<{ sv: number; fp: string }>(
    page.kind === 'dashboard'
      ? { name: 'lms-fp-dashboard', text: DASHBOARD, values: [uid] }
      : { name: 'lms-fp-lab', text: LAB, values: [uid, page.labId, getLab(page.labId)?.manifest.startFrom.map((sf) => sf.lab) ?? []] },
  );
  const r = rows[0];
  return r && r.sv === sessionVersion ? r.fp : null;
}
