import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
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

/**
 * The address check runs inside the connection's own DNS lookup, so the address checked is the address connected
 * to (a name that answers with a public address first and a private one at connect time, DNS rebinding, is still
 * refused). IP literals never reach a lookup and are checked before. No redirects are followed.
 */
function guardedLookup(allowLoopback: boolean): net.LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { all: true }, (err, addrs) => {
      if (err) return callback(err, '', 4);
      const bad = addrs.find((a) => forbiddenAddress(a.address, allowLoopback));
      if (bad || !addrs.length) return callback(Object.assign(new Error(`${hostname} resolves to a private address; refused`), { code: 'EPRIVATE' }), '', 4);
      if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, addrs);
      callback(null, addrs[0]!.address, addrs[0]!.family);
    });
  };
}

export const WEBHOOK_TIMEOUT_MS = 3000;

async function post(url: string, body: unknown): Promise<{ status?: number; error?: string }> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { error: 'not a URL' };
  }
  const allowLoopback = process.env.LMS_WEBHOOK_ALLOW_LOOPBACK === '1';
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && allowLoopback)) return { error: 'only https:// webhooks are posted' };
  if (net.isIP(host) && forbiddenAddress(host, allowLoopback)) return { error: `${host} is a private address; refused` };
  const data = Buffer.from(JSON.stringify(body));
  return new Promise((resolve) => {
    const req = (u.protocol === 'https:' ? https : http).request(
      u,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Content-Length': data.length, 'User-Agent': 'devops-lms-notify' },
        lookup: guardedLookup(allowLoopback),
        signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
      },
      (res) => {
        res.resume(); // the answer's body is not needed; drain it so the socket closes
        const status = res.statusCode ?? 0;
        resolve(status >= 200 && status < 300 ? { status } : { status, error: `HTTP ${status}` });
      },
    );
    req.on('error', (e: Error & { code?: string }) => resolve({ error: (e.name === 'AbortError' || e.name === 'TimeoutError' ? `timed out after ${WEBHOOK_TIMEOUT_MS} ms` : e.message).slice(0, 200) }));
    req.end(data);
  });
}

/** Posts one event and records the try (`claimId`: a delivery row already claimed for it). Never throws. */
export async function notifyCohort(cohortId: string, event: string, text: string, claimId?: string): Promise<void> {
  try {
    const db = getDb();
    const c = await db.cohort.findUnique({ where: { id: cohortId }, select: { webhookUrl: true, webhookKind: true } });
    if (!c?.webhookUrl) return;
    const payload = c.webhookKind === 'discord' ? { content: text, allowed_mentions: { parse: [] } } : { text };
    const r = await post(c.webhookUrl, payload);
    const data = { cohortId, event, payload, status: r.status ?? null, error: r.error ?? null };
    if (claimId) await db.webhookDelivery.update({ where: { id: claimId }, data });
    else await db.webhookDelivery.create({ data });
    if (r.error) log.warn({ cohortId, event, error: r.error }, 'webhook delivery failed');
  } catch (e) {
    log.error({ cohortId, event, error: (e as Error).message }, 'webhook delivery could not be recorded');
  }
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
    // Every worker runs this tick: the claim (a row written under a lock) makes one of them post. A try that got no
    // answer (network error) may be retried on a later tick; one the webhook answered is never sent again.
    const claim = await db.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext(${`${w.cohortId}:${event}`}))::text`;
      const prior = await tx.webhookDelivery.findFirst({ where: { cohortId: w.cohortId, event, OR: [{ status: { not: null } }, { error: 'sending', createdAt: { gt: new Date(now.getTime() - 60_000) } }] } });
      if (prior) return null;
      return tx.webhookDelivery.create({ data: { cohortId: w.cohortId, event, payload: {}, error: 'sending' }, select: { id: true } });
    });
    if (!claim) continue;
    const kst = new Date(w.dueAt.getTime() + 9 * 3600 * 1000).toISOString().slice(0, 16).replace('T', ' ');
    await notifyCohort(w.cohortId, event, `⏰ Week ${w.week} is due ${kst} KST (${w.dueAt.toISOString().slice(0, 16).replace('T', ' ')} UTC).`, claim.id);
    sent++;
  }
  return sent;
}
