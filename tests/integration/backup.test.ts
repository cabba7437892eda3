/**
 * Backup → wipe → restore → compare, against the real Postgres: a restored database shows the same users,
 * submissions (file bytes exact), results, progress and audit entries; a restore into a non-empty database is
 * refused without --force; a broken file changes nothing.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { getDb } from '@/lib/db';
import { backupDatabase, restoreDatabase } from '../../cli/backup';
import { migrate } from '../../cli/prepare';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-backup-'));
const created: string[] = [];
const serverUrl = () => {
  const u = new URL(process.env.DATABASE_URL!);
  u.pathname = '/postgres';
  return u.toString();
};
async function freshDb(): Promise<string> {
  const name = `lms_test_restore_${crypto.randomBytes(4).toString('hex')}`;
  const c = new pg.Client({ connectionString: serverUrl() });
  await c.connect();
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  created.push(name);
  const u = new URL(process.env.DATABASE_URL!);
  u.pathname = `/${name}`;
  return u.toString();
}
async function snapshot(url: string): Promise<Record<string, string[]>> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const tables = (await c.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY 1`)).rows.map(
    (r) => r.tablename as string,
  );
  const out: Record<string, string[]> = {};
  for (const t of tables) out[t] = (await c.query(`SELECT row_to_json(x)::text AS j FROM "${t}" x ORDER BY 1`)).rows.map((r) => r.j as string);
  await c.end();
  return out;
}

afterAll(async () => {
  const c = new pg.Client({ connectionString: serverUrl() });
  await c.connect();
  for (const n of created) await c.query(`DROP DATABASE IF EXISTS ${n} WITH (FORCE)`);
  await c.end();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('backup and restore', () => {
  it('round-trips users, submissions with their bytes, results, progress and audit', async () => {
    const db = getDb();
    const email = `backup-${crypto.randomUUID()}@test.lms`;
    const u = await db.user.create({
      data: { email, name: 'Backup 백업 <b>', passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$abc$def', role: 'INSTRUCTOR', lang: 'en' },
    });
    const bytes = Buffer.from([0, 1, 2, 255, 0x5c, 0x78, 10, 13, 0]);
    const s = await db.submission.create({
      data: {
        userId: u.id,
        labId: 'week01-terraform-vpc',
        status: 'GRADED',
        phase: 'finished',
        late: true,
        files: { create: [{ path: 'main.tf', content: bytes }] },
      },
    });
    await db.result.create({
      data: {
        submissionId: s.id,
        gradable: true,
        score: 12.5,
        maxScore: 13,
        passed: true,
        durationMs: 321,
        document: { checks: [{ id: 'vpc', passed: true, message: { ko: '통과', en: 'ok "quoted"' } }] },
      },
    });
    await db.lessonProgress.create({ data: { userId: u.id, week: 1, slug: 'terraform-basics', state: 'DONE' } });
    await db.labProgress.create({
      data: { userId: u.id, labId: 'week01-terraform-vpc', bestScore: 12.5, maxScore: 13, passed: true, attempts: 1, bestSubmissionId: s.id },
    });
    await db.auditLog.create({ data: { actorId: u.id, action: 'cohort.export', targetType: 'cohort', detail: { rows: 3 } } });

    const file = path.join(dir, 'one.json.gz');
    const header = await backupDatabase(process.env.DATABASE_URL!, file);
    expect(header.tables.find((t) => t.name === 'User')!.rows).toBeGreaterThan(0);
    expect(fs.statSync(file).mode & 0o077).toBe(0); // not readable by others
    expect(fs.existsSync(`${file}.partial`)).toBe(false);

    // wipe = a new, empty database; restore there
    const a = await freshDb();
    await restoreDatabase(a, file, { migrate });
    const c = new pg.Client({ connectionString: a });
    await c.connect();
    const user = (await c.query(`SELECT * FROM "User" WHERE email = $1`, [email])).rows[0];
    expect(user).toMatchObject({ name: 'Backup 백업 <b>', role: 'INSTRUCTOR', passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$abc$def' });
    const f = (await c.query(`SELECT content FROM "SubmissionFile" WHERE "submissionId" = $1`, [s.id])).rows[0];
    expect(Buffer.compare(f.content, bytes)).toBe(0);
    const r = (await c.query(`SELECT score, passed, document FROM "Result" WHERE "submissionId" = $1`, [s.id])).rows[0];
    expect(r).toMatchObject({ score: 12.5, passed: true, document: { checks: [{ id: 'vpc', passed: true, message: { ko: '통과', en: 'ok "quoted"' } }] } });
    expect((await c.query(`SELECT late FROM "Submission" WHERE id = $1`, [s.id])).rows[0].late).toBe(true);
    expect((await c.query(`SELECT state FROM "LessonProgress" WHERE "userId" = $1`, [u.id])).rows[0].state).toBe('DONE');
    await c.end();

    // a second generation is identical to the first, table by table, row by row
    const file2 = path.join(dir, 'two.json.gz');
    await backupDatabase(a, file2);
    const b = await freshDb();
    await restoreDatabase(b, file2, { migrate });
    expect(await snapshot(b)).toEqual(await snapshot(a));
  });

  it('refuses a non-empty target without --force, and a broken file changes nothing', async () => {
    const file = path.join(dir, 'three.json.gz');
    await backupDatabase(process.env.DATABASE_URL!, file);
    const a = await freshDb();
    await restoreDatabase(a, file, { migrate });
    const before = await snapshot(a);
    await expect(restoreDatabase(a, file, { migrate })).rejects.toThrow(/already has \d+ user/);
    const bad = path.join(dir, 'bad.json.gz');
    fs.writeFileSync(bad, 'not a backup');
    await expect(restoreDatabase(a, bad, { migrate, force: true })).rejects.toThrow(/not a backup/);
    // a truncated backup (rows missing for a table) rolls back entirely, even with --force
    const lines = (await import('node:zlib')).gunzipSync(fs.readFileSync(file)).toString('utf8').split('\n');
    const cut = path.join(dir, 'cut.json.gz');
    fs.writeFileSync(cut, (await import('node:zlib')).gzipSync(lines.filter((l) => !l.startsWith('{"table":"Result"')).join('\n')));
    await expect(restoreDatabase(a, cut, { migrate, force: true })).rejects.toThrow(/Result/);
    expect(await snapshot(a)).toEqual(before);
    await restoreDatabase(a, file, { migrate, force: true });
    expect(await snapshot(a)).toEqual(before);
  });
});
