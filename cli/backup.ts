/**
 * bin/lms backup / restore: a consistent logical dump of the database and its way back.
 *
 * Postgres 18's pg_dump is not to be had here (the embedded server ships without it, and Debian's client is 15,
 * which refuses a newer server), so the dump is taken through SQL: one REPEATABLE READ, READ ONLY transaction (one
 * snapshot for every table, like pg_dump), each table as JSON rows (`row_to_json`: bytea as hex, timestamps as ISO,
 * JSON as is), gzip. Restore migrates an empty database to the dump's schema with the project's migrations, then
 * loads every table in foreign-key order with `json_populate_recordset` in one transaction: all or nothing.
 * The file holds what the database holds (password hashes, never passwords) and nothing from the environment.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import pg from 'pg';
import { CliError, log } from './sh';
import { migrate } from './prepare';
import { getEnv } from '../lib/env';

const FORMAT = 'lms-backup';
const VERSION = 1;
const BATCH = 500;

interface Header {
  format: string;
  version: number;
  createdAt: string;
  migrations: string[];
  tables: { name: string; rows: number }[];
}

/** Tables of the public schema in an order where every table comes after the tables it references. */
async function tablesInOrder(c: pg.ClientBase): Promise<string[]> {
  const tables = (
    await c.query<{ t: string }>(`SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY 1`)
  ).rows.map((r) => r.t);
  const deps = (
    await c.query<{ child: string; parent: string }>(
      `SELECT cl.relname AS child, pcl.relname AS parent FROM pg_constraint co
       JOIN pg_class cl ON cl.oid = co.conrelid JOIN pg_class pcl ON pcl.oid = co.confrelid
       JOIN pg_namespace n ON n.oid = cl.relnamespace WHERE co.contype = 'f' AND n.nspname = 'public'`,
    )
  ).rows;
  const out: string[] = [];
  const visit = (t: string, seen: Set<string>) => {
    if (out.includes(t) || seen.has(t)) return;
    seen.add(t);
    for (const d of deps.filter((x) => x.child === t && x.parent !== t)) visit(d.parent, seen);
    out.push(t);
  };
  for (const t of tables) visit(t, new Set());
  return out;
}

export async function backupDatabase(databaseUrl: string, file: string): Promise<Header> {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.partial`;
  const gz = zlib.createGzip();
  const out = fs.createWriteStream(tmp, { mode: 0o600 });
  gz.pipe(out);
  const write = (line: unknown) => new Promise<void>((resolve) => (gz.write(JSON.stringify(line) + '\n') ? resolve() : gz.once('drain', () => resolve())));
  try {
    await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const migrations = (
      await c.query<{ migration_name: string }>(
        `SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`,
      )
    ).rows.map((r) => r.migration_name);
    const order = await tablesInOrder(c);
    const counts: Header['tables'] = [];
    for (const t of order) counts.push({ name: t, rows: Number((await c.query(`SELECT count(*) AS n FROM ${c.escapeIdentifier(t)}`)).rows[0].n) });
    const header: Header = { format: FORMAT, version: VERSION, createdAt: new Date().toISOString(), migrations, tables: counts };
    await write(header);
    for (const t of order) {
      // A cursor-free batch walk by ctid would be faster; row counts here are small enough for LIMIT/OFFSET in one snapshot.
      for (let offset = 0; ; offset += BATCH) {
        const rows = (await c.query(`SELECT row_to_json(x) AS r FROM ${c.escapeIdentifier(t)} x ORDER BY ctid LIMIT ${BATCH} OFFSET ${offset}`)).rows.map(
          (r) => r.r,
        );
        if (!rows.length) break;
        await write({ table: t, rows });
      }
    }
    await c.query('COMMIT');
    await new Promise<void>((resolve, reject) => {
      out.on('finish', resolve);
      out.on('error', reject);
      gz.end();
    });
    fs.renameSync(tmp, file);
    return header;
  } catch (e) {
    gz.destroy();
    out.destroy();
    fs.rmSync(tmp, { force: true });
    throw e;
  } finally {
    await c.end();
  }
}

function readBackup(file: string): { header: Header; chunks: { table: string; rows: unknown[] }[] } {
  if (!fs.existsSync(file)) throw new CliError(`no such backup file: ${file}`);
  let text: string;
  try {
    text = zlib.gunzipSync(fs.readFileSync(file)).toString('utf8');
  } catch {
    throw new CliError(`${file} is not a backup made by bin/lms backup (not gzip)`);
  }
  const lines = text.split('\n').filter(Boolean);
  const header = JSON.parse(lines[0] ?? '{}') as Header;
  if (header.format !== FORMAT || header.version !== VERSION)
    throw new CliError(`${file} is not a backup made by bin/lms backup (format ${header.format} v${header.version})`);
  return { header, chunks: lines.slice(1).map((l) => JSON.parse(l) as { table: string; rows: unknown[] }) };
}

/**
 * Loads a backup into `databaseUrl`, which must be empty (no users) unless `force`, after `migrate` brought it to the
 * project's schema. Refuses a backup taken with migrations this code does not have.
 */
export async function restoreDatabase(databaseUrl: string, file: string, opts: { force?: boolean; migrate: (url: string) => Promise<void> }): Promise<Header> {
  const { header, chunks } = readBackup(file);
  const known = new Set(fs.readdirSync(path.join(import.meta.dirname, '..', 'prisma', 'migrations')).filter((d) => /^\d/.test(d)));
  const unknown = header.migrations.filter((m) => !known.has(m));
  if (unknown.length)
    throw new CliError(`the backup was taken with migrations this version does not have (${unknown.join(', ')}): restore it with a newer version`);
  await opts.migrate(databaseUrl);
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const tables = await tablesInOrder(c);
    const existing = Number((await c.query(`SELECT count(*) AS n FROM "User"`)).rows[0].n);
    if (existing > 0 && !opts.force)
      throw new CliError(`the target database already has ${existing} user(s); restore into an empty database, or pass --force to replace its contents`);
    await c.query('BEGIN');
    try {
      if (opts.force) await c.query(`TRUNCATE ${tables.map((t) => c.escapeIdentifier(t)).join(', ')} CASCADE`);
      for (const t of header.tables.map((x) => x.name)) {
        if (!tables.includes(t)) throw new CliError(`the backup has a table "${t}" this schema does not`);
        for (const ch of chunks.filter((x) => x.table === t)) {
          await c.query(`INSERT INTO ${c.escapeIdentifier(t)} SELECT * FROM json_populate_recordset(NULL::${c.escapeIdentifier(t)}, $1::json)`, [
            JSON.stringify(ch.rows),
          ]);
        }
        const n = Number((await c.query(`SELECT count(*) AS n FROM ${c.escapeIdentifier(t)}`)).rows[0].n);
        const want = header.tables.find((x) => x.name === t)!.rows;
        if (n !== want) throw new CliError(`restore of "${t}" produced ${n} rows, the backup has ${want}`);
      }
      await c.query('COMMIT');
    } catch (e) {
      await c.query('ROLLBACK').catch(() => {});
      throw e;
    }
    return header;
  } finally {
    await c.end();
  }
}

/** Backups and restores are audited (by the operator's command: no user is the actor) in the live database. */
async function auditCli(action: 'backup.create' | 'backup.restore', detail: { file: string; rows: number; takenAt?: string }): Promise<void> {
  const { audit } = await import('../lib/audit');
  await audit({ actorId: null, action, targetType: 'database', detail }).catch((e: unknown) => log(`could not write the audit entry: ${(e as Error).message}`));
}

export async function cmdBackup(opts: { out?: string }): Promise<number> {
  const url = getEnv().DATABASE_URL;
  if (!url) throw new CliError('DATABASE_URL is not set (bin/lms sets it for the local database)');
  const file = opts.out || path.join('.data', 'backups', `lms-${new Date().toISOString().replace(/[:.]/g, '-')}.json.gz`);
  const h = await backupDatabase(url, file);
  log(`backup written: ${file} (${h.tables.reduce((s, t) => s + t.rows, 0)} rows in ${h.tables.length} tables, ${h.migrations.length} migrations)`);
  await auditCli('backup.create', { file: path.basename(file), rows: h.tables.reduce((s, t) => s + t.rows, 0) });
  process.stdout.write(file + '\n');
  return 0;
}

export async function cmdRestore(opts: { file?: string; force: boolean }): Promise<number> {
  const url = getEnv().DATABASE_URL;
  if (!url) throw new CliError('DATABASE_URL is not set (bin/lms sets it for the local database)');
  const { file } = opts;
  if (!file) throw new CliError('usage: bin/lms restore <backup file> [--force]');
  const h = await restoreDatabase(url, file, { force: opts.force, migrate });
  log(`restored ${h.tables.reduce((s, t) => s + t.rows, 0)} rows from ${file} (taken ${h.createdAt})`);
  await auditCli('backup.restore', { file: path.basename(file), takenAt: h.createdAt, rows: h.tables.reduce((s, t) => s + t.rows, 0) });
  return 0;
}
