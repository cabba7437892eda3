/**
 * Cohort notifications to a real HTTP server on loopback standing in for Slack/Discord: lab passed (once), learner
 * stuck (at the threshold), deadline near (once per week), Discord's format, private addresses refused, a broken
 * webhook recorded and never thrown.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/lib/db';
import { createCohort, joinCohort, setCohortWebhook } from '@/lib/cohorts/gradebook';
import { afterResult, deadlinesNear, forbiddenAddress, notifyCohort } from '@/lib/notify/webhook';
import type { Actor } from '@/lib/auth/actor';
import { createLearner } from './helpers';

const got: { path: string; body: Record<string, unknown> }[] = [];
let server: http.Server;
let base = '';
beforeAll(async () => {
  process.env.LMS_WEBHOOK_ALLOW_LOOPBACK = '1';
  server = http.createServer((req, res) => {
    let b = '';
    req.on('data', (c) => (b += c));
    req.on('end', () => {
      got.push({ path: req.url ?? '', body: JSON.parse(b) as Record<string, unknown> });
      res.statusCode = req.url?.startsWith('/broken') ? 500 : 200;
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => server.close());

const instructor = async (): Promise<Actor> =>
  getDb().user.create({ data: { email: `nt-${crypto.randomUUID()}@test.lms`, name: 'I', role: 'INSTRUCTOR' }, select: { id: true, role: true } });
async function result(userId: string, passed: boolean) {
  const s = await getDb().submission.create({ data: { userId, labId: 'week05-k8s-manifests', status: 'GRADED', phase: 'finished' } });
  await getDb().result.create({ data: { submissionId: s.id, gradable: true, score: passed ? 13 : 5, maxScore: 13, passed, durationMs: 1, document: {} } });
  return s.id;
}

describe('cohort notifications', () => {
  it('posts lab passed once and stuck at the threshold, in Slack and Discord formats', async () => {
    const ins = await instructor();
    const cohort = await createCohort(ins, { name: 'Notify', start: new Date(), latePenaltyPct: 0 });
    await setCohortWebhook(ins, cohort.id, { url: `${base}/slack/${cohort.id}`, kind: 'slack' }, 2);
    const a = await createLearner();
    const b = await createLearner();
    await getDb().user.update({ where: { id: b.id }, data: { name: '<!channel> @here Park' } });
    await joinCohort(a, cohort.inviteCode);
    await joinCohort(b, cohort.inviteCode);
    await afterResult(await result(a.id, true));
    await afterResult(await result(a.id, true)); // a second pass is not news
    await afterResult(await result(b.id, false));
    await afterResult(await result(b.id, false)); // the second failure reaches stuckAfter = 2
    await afterResult(await result(b.id, false)); // and is announced once
    const mine = got.filter((g) => g.path === `/slack/${cohort.id}`);
    expect(mine.map((g) => Array.from(String(g.body.text))[0])).toEqual(['✅', '🆘']);
    expect(String(mine[1]!.body.text)).not.toMatch(/<!channel>|@here/); // user text cannot ping the channel
    expect(await getDb().webhookDelivery.count({ where: { cohortId: cohort.id, status: 200 } })).toBe(2);

    await setCohortWebhook(ins, cohort.id, { url: `${base}/discord/${cohort.id}`, kind: 'discord' }, 2);
    await notifyCohort(cohort.id, 'test', 'hi');
    expect(got.find((g) => g.path === `/discord/${cohort.id}`)!.body).toMatchObject({ content: 'hi', allowed_mentions: { parse: [] } });
  });

  it('announces a due date within a day once; records a broken webhook without throwing', async () => {
    const ins = await instructor();
    const cohort = await createCohort(ins, { name: 'Due soon', start: new Date(Date.now() - 7 * 24 * 3600 * 1000 + 3600 * 1000), latePenaltyPct: 0 });
    await setCohortWebhook(ins, cohort.id, { url: `${base}/due/${cohort.id}`, kind: 'slack' }, 3);
    await deadlinesNear();
    await deadlinesNear();
    const posts = got.filter((g) => g.path === `/due/${cohort.id}`);
    expect(posts).toHaveLength(1);
    expect(String(posts[0]!.body.text)).toContain('Week 1 is due');

    await setCohortWebhook(ins, cohort.id, { url: `${base}/broken`, kind: 'slack' }, 3);
    await expect(notifyCohort(cohort.id, 'test', 'x')).resolves.toBeUndefined();
    expect(await getDb().webhookDelivery.findFirst({ where: { cohortId: cohort.id, event: 'test' } })).toMatchObject({ status: 500, error: 'HTTP 500' });
  });

  it('refuses private and metadata addresses', () => {
    for (const ip of ['10.0.0.1', '172.17.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1'])
      expect(forbiddenAddress(ip, true)).toBe(true);
    expect(forbiddenAddress('127.0.0.1', false)).toBe(true);
    expect(forbiddenAddress('127.0.0.1', true)).toBe(false);
    expect(forbiddenAddress('93.184.216.34', false)).toBe(false);
  });
});
