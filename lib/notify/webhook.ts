import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import { z } from 'zod';
import { getDb } from '../db';
import { getEnv } from '../env';
import { getLab } from '../labs/registry';
import { partLogger } from '../log';

/**
 * Cohort events posted to a Slack or Discord incoming webhook (the week-4 topic, used by the product itself):
 * a learner passed a lab, a learner is stuck (N failed graded attempts on one lab), a due date is near.
 * Every try is recorded in WebhookDelivery; a failing webhook never fails grading (3 s timeout, errors kept).
 */
const log = partLogger('notify');

const allowLoopback = () => getEnv().LMS_WEBHOOK_ALLOW_LOOPBACK;

export const webhookInput = z.object({
  url: z
    .string()
    .trim()
    .max(500)
    .url('Give the full webhook URL.')
    .refine((u) => u.startsWith('https://') || (allowLoopback() && /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\//.test(u)), 'Use an https:// webhook URL.')
    // an address written into the URL is checked now (names are checked when they are resolved, at each delivery)
    .refine((u) => {
      let host: string;
      try {
        host = new URL(u).hostname.replace(/^\[|\]$/g, '');
      } catch {
        return true; // the URL check above says what is wrong
      }
      return !net.isIP(host) || !forbiddenAddress(host, allowLoopback());
    }, 'Use the webhook URL of a public host (not a private, loopback or link-local address).'),
  kind: z.enum(['slack', 'discord']),
});

/** IPv4 ranges a webhook never reaches: IANA's special-purpose registry, everything that is not public unicast. */
const V4_BLOCKED: [string, number][] = [
  ['0.0.0.0', 8], // "this network": 0.0.0.0 reaches the host itself on Linux
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT, shared address space
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata (169.254.169.254)
  ['172.16.0.0', 12], // private (Docker's bridges)
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation (TEST-NET-1)
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation (TEST-NET-2)
  ['203.0.113.0', 24], // documentation (TEST-NET-3)
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and the broadcast address
];

function v4Number(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

function v4Blocked(ip: string, allowLoop: boolean): boolean {
  const n = v4Number(ip);
  if (allowLoop && n >>> 24 === 127) return false;
  return V4_BLOCKED.some(([base, bits]) => Math.floor(n / 2 ** (32 - bits)) === Math.floor(v4Number(base) / 2 ** (32 - bits)));
}

/** The eight 16-bit groups of an IPv6 address (a zone id dropped, an embedded dotted IPv4 tail read), or null. */
function ipv6Groups(ip: string): number[] | null {
  const s = ip.replace(/%.*$/, '').toLowerCase();
  if (!net.isIPv6(s)) return null;
  let text = s;
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (tail) {
    const n = v4Number(tail[1]!);
    text = text.slice(0, -tail[1]!.length) + `${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head, rest] = text.includes('::') ? text.split('::') : [text, undefined];
  const h = head ? head.split(':') : [];
  const r = rest === undefined ? [] : rest ? rest.split(':') : [];
  const groups = [...h, ...Array(8 - h.length - r.length).fill('0'), ...r].map((g) => parseInt(g, 16));
  return groups.length === 8 && groups.every((g) => g >= 0 && g <= 0xffff) ? groups : null;
}

/** The host's own addresses (every interface): a public address of this machine is still this machine. */
function ownAddresses(): Set<string> {
  const out = new Set<string>();
  for (const list of Object.values(os.networkInterfaces())) for (const a of list ?? []) out.add(a.address.replace(/%.*$/, '').toLowerCase());
  return out;
}

/**
 * Addresses a webhook may never reach (SSRF): anything but public unicast, in any spelling. IPv4: the special-purpose
 * ranges above. IPv6: only global unicast (2000::/3) minus its special blocks (2001::/23 with Teredo, documentation
 * 2001:db8::/32 and 3fff::/20, 6to4 2002::/16); so loopback ::1, ::, unique-local fc00::/7 (fd00:ec2::254, a cloud's
 * metadata), link-local fe80::/10, multicast and IPv4-compatible ::a.b.c.d are refused. An IPv4 address inside
 * IPv6 (mapped ::ffff:a.b.c.d, translated ::ffff:0:a.b.c.d, NAT64 64:ff9b::a.b.c.d) is judged as that IPv4 address.
 * The host's own interface addresses are refused too. `allowLoopback` (tests only) lets 127.0.0.0/8 and ::1 through,
 * written plainly.
 */
export function forbiddenAddress(ip: string, allowLoop: boolean): boolean {
  if (net.isIPv4(ip)) return v4Blocked(ip, allowLoop) || (ownAddresses().has(ip) && !(allowLoop && ip.startsWith('127.')));
  const g = ipv6Groups(ip);
  if (!g) return true; // not an address we can read: refused
  const [a, b, c, d, e, f, x, y] = g as [number, number, number, number, number, number, number, number];
  const embedded = `${x >> 8}.${x & 255}.${y >> 8}.${y & 255}`;
  if (a === 0 && b === 0 && c === 0 && d === 0 && e === 0 && f === 0xffff) return forbiddenAddress(embedded, false); // ::ffff:a.b.c.d
  if (a === 0 && b === 0 && c === 0 && d === 0 && e === 0xffff && f === 0) return forbiddenAddress(embedded, false); // ::ffff:0:a.b.c.d
  if (a === 0x64 && b === 0xff9b && c === 0 && d === 0 && e === 0 && f === 0) return forbiddenAddress(embedded, false); // NAT64
  if (g.every((v, i) => v === (i === 7 ? 1 : 0))) return !allowLoop; // ::1
  if (a >> 13 !== 1) return true; // outside 2000::/3
  if (a === 0x2001 && b < 0x200) return true; // 2001::/23
  if (a === 0x2001 && b === 0xdb8) return true; // documentation
  if (a === 0x2002) return true; // 6to4
  if (a === 0x3fff && b < 0x1000) return true; // documentation (RFC 9637)
  const canonical = g.map((v) => v.toString(16)).join(':');
  for (const own of ownAddresses()) {
    const og = net.isIPv6(own) ? ipv6Groups(own) : null;
    if (og && og.map((v) => v.toString(16)).join(':') === canonical) return true;
  }
  return false;
}

export const WEBHOOK_TIMEOUT_MS = 3000;

/**
 * What the cohort page shows for a delivery that did not get an HTTP answer: one text for every reason (refused, reset,
 * timed out, TLS, DNS, not a public address), so the log cannot be used to tell open ports from closed ones or which
 * internal names exist. The reason itself goes to the server's log.
 */
export const NOT_DELIVERED = 'not delivered: no answer from a public https host (the host is not public, or refused, reset or timed out)';

class Refused extends Error {}

/** Every address of `host` (an IP literal is its own), all checked; refused if any is not public. */
async function resolvePublic(host: string, allowLoop: boolean, signal: AbortSignal): Promise<{ address: string; family: number }[]> {
  const addrs = net.isIP(host)
    ? [{ address: host, family: net.isIP(host) }]
    : await new Promise<dns.LookupAddress[]>((resolve, reject) => {
        const onAbort = () => reject(new Refused(`lookup of ${host} timed out`));
        signal.addEventListener('abort', onAbort, { once: true });
        dns.lookup(host, { all: true, verbatim: true }, (err, list) => {
          signal.removeEventListener('abort', onAbort);
          if (err) reject(err);
          else resolve(list);
        });
      });
  const bad = addrs.find((a) => forbiddenAddress(a.address, allowLoop));
  if (!addrs.length || bad)
    throw new Refused(`${net.isIP(host) ? host : `${host} resolves to ${bad?.address ?? 'nothing'}, which`} is not a public address; refused`);
  return addrs;
}

/**
 * One POST. The name is resolved once, every address it gives is checked, and the connection goes to a checked address
 * (the request's own lookup answers from that list and never asks DNS again), so a name that answers with a public
 * address for the check and a private one for the connection (DNS rebinding) cannot slip through. TLS still verifies
 * the certificate against the URL's name. No redirects are followed, no connection is reused (`agent: false`).
 */
async function post(url: string, body: unknown): Promise<{ status?: number; error?: string; reason?: string }> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { error: 'not a URL' };
  }
  const allowLoop = allowLoopback();
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && allowLoop)) return { error: 'only https:// webhooks are posted' };
  const signal = AbortSignal.timeout(WEBHOOK_TIMEOUT_MS);
  let addrs: { address: string; family: number }[];
  try {
    addrs = await resolvePublic(host, allowLoop, signal);
  } catch (e) {
    return { error: NOT_DELIVERED, reason: (e as Error).message };
  }
  const data = Buffer.from(JSON.stringify(body));
  const lookup: net.LookupFunction = (_name, options, callback) => {
    if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, addrs);
    callback(null, addrs[0]!.address, addrs[0]!.family);
  };
  return new Promise((resolve) => {
    const req = (u.protocol === 'https:' ? https : http).request(
      u,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Content-Length': data.length, 'User-Agent': 'devops-lms-notify' },
        lookup,
        agent: false,
        signal,
      },
      (res) => {
        res.resume(); // the answer's body is not needed; drain it so the socket closes
        const status = res.statusCode ?? 0;
        resolve(status >= 200 && status < 300 ? { status } : { status, error: `HTTP ${status}` });
      },
    );
    req.on('error', (e: Error & { code?: string }) =>
      resolve({
        error: NOT_DELIVERED,
        reason: (e.name === 'AbortError' || e.name === 'TimeoutError' ? `timed out after ${WEBHOOK_TIMEOUT_MS} ms` : e.message).slice(0, 200),
      }),
    );
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
    if (r.error) log.warn({ cohortId, event, error: r.error, reason: r.reason }, 'webhook delivery failed');
  } catch (e) {
    log.error({ cohortId, event, error: (e as Error).message }, 'webhook delivery could not be recorded');
  }
}

/** Chat text escapes: Slack's control characters and Discord's mentions stay literal (names are user text). */
const plain = (s: string) => s.replace(/[<>&]/g, (c) => ({ '<': '‹', '>': '›', '&': '＆' })[c]!).replace(/@/g, '@\u200b');

/** After a learner's result: "lab passed" the first time, "stuck" when failures reach the cohort's threshold. */
export async function afterResult(submissionId: string): Promise<void> {
  const db = getDb();
  const s = await db.submission.findUnique({
    where: { id: submissionId },
    select: { userId: true, labId: true, regradeOfId: true, user: { select: { name: true } }, result: { select: { gradable: true, passed: true } } },
  });
  if (!s?.result?.gradable || s.regradeOfId) return;
  const cohorts = await db.cohortMember.findMany({
    where: { userId: s.userId, cohort: { webhookUrl: { not: null } } },
    select: { cohort: { select: { id: true, stuckAfter: true } } },
  });
  if (!cohorts.length) return;
  const title = getLab(s.labId)?.manifest.title.en ?? s.labId;
  const mine = await db.submission.findMany({
    where: { userId: s.userId, labId: s.labId, regradeOfId: null, practice: false, status: 'GRADED', result: { gradable: true } },
    select: { result: { select: { passed: true } } },
  });
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
  const soon = await db.cohortWeek.findMany({
    where: { dueAt: { gt: now, lte: new Date(now.getTime() + 24 * 3600 * 1000) }, cohort: { webhookUrl: { not: null } } },
    select: { cohortId: true, week: true, dueAt: true },
  });
  let sent = 0;
  for (const w of soon) {
    const event = `deadline.near:${w.week}`;
    // Every worker runs this tick: the claim (a row written under a lock) makes one of them post. A try that got no
    // answer (network error) may be retried on a later tick; one the webhook answered is never sent again.
    const claim = await db.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext(${`${w.cohortId}:${event}`}))::text`;
      const prior = await tx.webhookDelivery.findFirst({
        where: { cohortId: w.cohortId, event, OR: [{ status: { not: null } }, { error: 'sending', createdAt: { gt: new Date(now.getTime() - 60_000) } }] },
      });
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
