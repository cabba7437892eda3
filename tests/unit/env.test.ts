import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { databaseUrl, ENV_VARIABLES, getEnv } from '@/lib/env';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

/** The rows of README's "Configuration" table, as written. */
function readmeRows(): string[] {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n## Configuration\n'));
  const table = section.slice(section.indexOf('| variable | default | meaning |'));
  const lines = table.slice(0, table.indexOf('\n\n')).split('\n');
  return lines.slice(2);
}

describe('lib/env.ts', () => {
  afterEach(() => vi.unstubAllEnvs());

  it("README's configuration table lists every variable of lib/env.ts, in its order, with its default and meaning", () => {
    const expected = Object.entries(ENV_VARIABLES).map(([name, v]) => `| \`${name}\` | ${v.default} | ${v.meaning} |`);
    const rows = readmeRows();
    // Names first, for a readable failure when a variable is added to one and not the other.
    expect(rows.map((r) => /^\| `([A-Z0-9_]+)` \|/.exec(r)?.[1] ?? r)).toEqual(Object.keys(ENV_VARIABLES));
    expect(rows).toEqual(expected);
  });

  it('applies the defaults and reads an empty value as unset', () => {
    vi.stubEnv('REDIS_PREFIX', '');
    vi.stubEnv('WORKER_CONCURRENCY', '');
    vi.stubEnv('GITHUB_ID', '');
    const env = getEnv();
    expect(env.REDIS_PREFIX).toBe('lms');
    expect(env.WORKER_CONCURRENCY).toBe(2);
    expect(env.GITHUB_ID).toBeUndefined();
    expect(env.LMS_WEBHOOK_ALLOW_LOOPBACK).toBe(false);
  });

  it('sees a variable changed after an earlier read (tests change them between cases)', () => {
    vi.stubEnv('LMS_TRUSTED_PROXIES', '1');
    expect(getEnv().LMS_TRUSTED_PROXIES).toBe(1);
    vi.stubEnv('LMS_TRUSTED_PROXIES', '3');
    expect(getEnv().LMS_TRUSTED_PROXIES).toBe(3);
    vi.stubEnv('LMS_WEBHOOK_ALLOW_LOOPBACK', '1');
    expect(getEnv().LMS_WEBHOOK_ALLOW_LOOPBACK).toBe(true);
  });

  it('refuses an invalid value, naming the variable', () => {
    vi.stubEnv('WORKER_CONCURRENCY', 'many');
    expect(() => getEnv()).toThrow(/Invalid environment:\n {2}WORKER_CONCURRENCY: /);
    vi.stubEnv('WORKER_CONCURRENCY', '2');
    vi.stubEnv('LMS_TEST_DB', 'production');
    expect(() => getEnv()).toThrow(/LMS_TEST_DB: must start with lms_test/);
  });

  it('databaseUrl() needs DATABASE_URL, which the rest of the environment does not', () => {
    vi.stubEnv('DATABASE_URL', '');
    expect(getEnv().REDIS_URL).toMatch(/^redis:/);
    expect(() => databaseUrl()).toThrow(/DATABASE_URL: not set/);
    vi.stubEnv('DATABASE_URL', 'postgresql://u:p@127.0.0.1:5432/x');
    expect(databaseUrl()).toBe('postgresql://u:p@127.0.0.1:5432/x');
  });
});
