/**
 * The Amazon EKS Kubernetes versions this lab accepts for a new cluster: the ones in EKS *standard* support on the
 * check date. EKS gives each minor version 14 months of standard support from its EKS release, then 12 months of
 * paid extended support. Checked on 2026-12-03:
 *
 *   1.34  EKS release 2025-10-02; standard support ended 2026-12-02 (the day before the check): a cluster created on
 *         it now runs in paid extended support. Refused, with its own message.
 *   1.35  EKS release 2026-01-28; standard support until 2027-03-27.
 *   1.36  upstream release 2026-04-22; on EKS since about 2026-06-02 (public projects that moved to it in August 2026
 *         give its end of standard support as 2027-08-02).
 *   1.37  upstream release 2026-08-26. EKS followed upstream by about six weeks for 1.35 and 1.36, so 1.37 is expected
 *         on EKS from about October 2026; this is inferred from that cadence, not confirmed, and accepted so that a
 *         learner who picks the newest version is not failed for it.
 *
 * eksctl itself does not keep a list of its own: it asks EKS (DescribeClusterVersions) which versions exist.
 * Update this file and the instructions (both languages) when the calendar moves on.
 */
export const CHECKED_ON = '2026-12-03';

export const STANDARD_SUPPORT: readonly string[] = ['1.35', '1.36', '1.37'];

/** Versions that EKS offered, with the day their standard support ended. */
export const STANDARD_SUPPORT_ENDED: Readonly<Record<string, string>> = {
  '1.34': '2026-12-02',
  '1.33': '2026-07-29',
  '1.32': '2026-03-23',
  '1.31': '2025-11-26',
  '1.30': '2025-07-23',
  '1.29': '2025-03-23',
  '1.28': '2024-11-26',
};
