import type { Metadata } from 'next';
import { currentLang } from '@/app/_server/lang';
import { teachableCohort } from '@/lib/cohorts/gradebook';
import { regradeSummary } from '@/lib/cohorts/regrade';
import { CohortNav } from '../../cohort-nav';
import { instructorOr404 } from '../../load';
import { RegradeTable } from '../../../../regrade-table';

export const metadata: Metadata = { title: 'Regrade' };
export const dynamic = 'force-dynamic';

/** A batch's before → after for the cohort's members; `?all=1` (admins: a regrade of a lab for everyone) shows every row. */
export default async function RegradePage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string; batchId: string }>;
  searchParams: Promise<{ all?: string }>;
}) {
  const { id, batchId } = await params;
  const all = (await searchParams).all === '1';
  const lang = await currentLang();
  const [cohort, sum] = await instructorOr404(`/instructor/cohorts/${id}/regrades/${batchId}`, (u) =>
    Promise.all([teachableCohort(u, id), regradeSummary(u, all && u.role === 'ADMIN' ? null : id, batchId)]),
  );
  return (
    <div>
      <CohortNav id={id} name={cohort.name} lang={lang} here="gradebook" />
      <RegradeTable sum={sum} lang={lang} />
    </div>
  );
}
