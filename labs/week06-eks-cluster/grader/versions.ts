/**
 * The Amazon EKS Kubernetes versions this lab accepts for a new cluster: the ones in EKS *standard* support in late
 * 2026. Checked on 2026-11-22 against what was known of the EKS release calendar then:
 *
 *   1.34  EKS release 2025-10-02, end of standard support 2026-12-02. Still standard on the check date, but only
 *         for days: a cluster created for this week would enter (paid) extended support almost at once. Refused,
 *         with its own message.
 *   1.35  EKS release 2026-01-28, end of standard support 2027-03-27.
 *   1.36  upstream release 2026-04-22; available on EKS by August 2026 (exact EKS date not confirmed here);
 *         standard support runs 14 months from its EKS release, well into 2027.
 *   1.37  upstream release 2026-08-26. EKS followed upstream by 5 to 6 weeks for 1.33, 1.34 and 1.35, so 1.37 is
 *         expected on EKS from about October 2026; this was inferred from that cadence, not confirmed.
 *
 * Update this file and the instructions (both languages) when the calendar moves on.
 */
export const CHECKED_ON = '2026-11-22';

export const STANDARD_SUPPORT: readonly string[] = ['1.35', '1.36', '1.37'];

/** Versions that EKS offered, with the day their standard support ended (or ends, for 1.34). */
export const STANDARD_SUPPORT_ENDED: Readonly<Record<string, string>> = {
  '1.34': '2026-12-02',
  '1.33': '2026-07-29',
  '1.32': '2026-03-23',
  '1.31': '2025-11-26',
  '1.30': '2025-07-23',
  '1.29': '2025-03-23',
  '1.28': '2024-11-26',
};
