import dns from 'node:dns/promises';
import net from 'node:net';
import { z } from 'zod';
import { getDb } from '../db';
import { getLab } from '../labs/registry';
import { partLogger } from '../log';

/**
 * Cohort events posted to a Slack or Discord incoming webhook (the week-4 topic, used by the product itself):
 * a learner passed a lab, a learner is stuck (N failed graded attempts on one lab), a due date is near.
 * Every try is recorded in WebhookDelivery; a failing webhook never fails grading (3 s timeout, errors kept).
 */
const log = partLogger('notify');

export const webhookInput = z.object({
  url: z
    .string()
    .trim()
    .max(500)
    .url('Give the full webhook URL.')
    .refine((u) => u.startsWith('https://') || /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\//.test(u), 'Use an https:// webhook URL.'),
  kind: z.enum(['slack', 'discord']),
});

/** Addresses a webhook may never reach (SSRF): private, loopback (unless allowed for tests), link-local, metadata. */
export function forbiddenAddress(ip: string, allowLoopback: boolean): boolean {
  if (net.isIPv4(ip)) {
    const [a, b] = ip.split('.').map(Number) as [number, number];
    if (a === 127) return !allowLoopback;
    return a === 10 || a === 0 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127) || a >= 224;
  }
  const v6 = ip.toLowerCase();
  if (v6 === '::1') return !allowLoopback;
  return v6 === '::' || v6.startsWith('fc') || v6.startsWith('fd') || v6.startsWith('fe80') || v6.startsWith('::ffff:');
}

async function post(url: string, body: unknown): Promise<{ status?: number; error?: string }> {
  const u = new URL(url);
  const allowLoopback = process.env.LMS_WEBHOOK_ALLOW_LOOPBACK === '1';
  const addrs = net.isIP(u.hostname) ? [u.hostname] : (await dns.lookup(u.hostname, { all: true }).catch(() => [])).map((a) => a.address);
  if (!addrs.length) return { error: `cannot resolve ${u.hostname}` };
  if (addrs.some((a) => forbiddenAddress(a, allowLoopback))) return { error: `${u.hostname} resolves to a private address; refused` };
  try {
    const r = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(3000), redirect: 'error' });
    return r.ok ? { status: r.status } : { status: r.status, error: `HTTP ${r.status}` };
  } catch (e) {
    return { error: (e as Error).message.slice(0, 200) };
  }
}

export async function notifyCohort(cohortId: string, event: string, text: string): Promise<void> {
  const db = getDb();
  const c = await db.cohort.findUnique({ where: { id: cohortId }, select: { webhookUrl: true, webhookKind: true } });
  if (!c?.webhookUrl) return;
  const payload = c.webhookKind === 'discord' ? { content: text, allowed_mentions: { parse: [] } } : { text };
  const r = await post(c.webhookUrl, payload);
  await db.webhookDelivery.create({ data: { cohortId, event, payload, status: r.status ?? null, error: r.error ?? null } });
  if (r.error) log.warn({ cohortId, event, error: r.error }, 'webhook delivery failed');
}

/** Chat text escapes: Slack's control characters and Discord's mentions stay literal (names are user text). */
const plain = (s: string) => s.replace(/[<>&]/g, (c) => ({ '<': '‹', '>': '›', '&': '＆' })[c]!).replace(/@/g, '@\u200b');

/** After a learner's result: "lab passed" the first time, "stuck" when failures reach the cohort's threshold. */
export async function afterResult(submissionId: string): Promise<void> {
  const db = getDb();
  const s = await db.submission.findUnique({ where: { id: submissionId }, select: { userId: true, labId: true, regradeOfId: true, user: { select: { name: true } }, result: { select: { gradable: true, passed: true } } } });
  if (!s?.result?.gradable || s.regradeOfId) return;
  const cohorts = await db.cohortMember.findMany({ where: { userId: s.userId, cohort: { webhookUrl: { not: null } } }, select: { cohort: { select: { id: true, stuckAfter: true } } } });
  if (!cohorts.length) return;
  const title = getLab(s.labId)?.manifest.title.en ?? s.labId;
  const mine = await db.submission.findMany({ where: { userId: s.userId, labId: s.labId, regradeOfId: null, status: 'GRADED', result: { gradable: true } }, select: { result: { select: { passed: true } } } });
  for (const { cohort } of cohorts) {
    if (s.result.passed) {
      if (mine.filter((m) => m.result?.passed).length === 1) await notifyCohort(cohort.id, 'lab.passed', `✅ ${plain(s.user.name)} passed "${title}".`);
    } else if (!mine.some((m) => m.result?.passed) && mine.length === cohort.stuckAfter) {
      await notifyCohort(cohort.id, 'learner.stuck', `🆘 ${plain(s.user.name)} has failed "${title}" ${mine.length} times; they may need a hand.`);
    }
  }
}

/** Due dates within 24 hours, each announced once per cohort and week. Run on an interval by every worker. */
export async function deadlinesNear(now = new Date()): Promise<number> {
  const db = getDb();
  const soon = await db.cohortWeek.findMany({ where: { dueAt: { gt: now, lte: new Date(now.getTime() + 24 * 3600 * 1000) }, cohort: { webhookUrl: { not: null } } }, select: { cohortId: true, week: true, dueAt: true } });
  let sent = 0;
  for (const w of soon) {
    const event = `deadline.near:${w.week}`;
    if (await db.webhookDelivery.findFirst({ where: { cohortId: w.cohortId, event, status: { not: null } } })) continue;
    await notifyCohort(w.cohortId, event, `⏰ Week ${w.week} is due ${w.dueAt.toISOString().slice(0, 16).replace('T', ' ')} UTC.`);
    sent++;
  }
  return sent;
}
