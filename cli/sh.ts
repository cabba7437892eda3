import { spawn, type SpawnOptions } from 'node:child_process';
import fs from 'node:fs';

export function log(msg: string): void {
  process.stderr.write(`[lms] ${msg}\n`);
}

export class CliError extends Error {}

/** Runs a command, inheriting output unless `quiet`; rejects with a readable message on a non-zero exit. */
export function run(cmd: string, args: string[], opts: SpawnOptions & { quiet?: boolean; input?: string } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...opts, stdio: [opts.input !== undefined ? 'pipe' : 'ignore', opts.quiet ? 'pipe' : 'inherit', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout?.on('data', (d) => (out += d));
    child.stderr?.on('data', (d) => {
      err += d;
      if (!opts.quiet) process.stderr.write(d);
    });
    if (opts.input !== undefined) child.stdin?.end(opts.input);
    child.on('error', (e) => reject(new CliError(`${cmd}: ${e.message}`)));
    child.on('close', (code) => {
      if (code === 0) resolve(out);
      else reject(new CliError(`${cmd} ${args.join(' ')} exited with ${code}${opts.quiet ? `\n${err.slice(-2000)}` : ''}`));
    });
  });
}

export function which(cmd: string): string | null {
  // eslint-disable-next-line no-restricted-syntax -- PATH is the system's search path, not a setting of ours
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/sbin', '/usr/local/sbin'])) {
    const p = `${dir}/${cmd}`;
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      /* keep looking */
    }
  }
  return null;
}

function isRootOnDebian(): boolean {
  return process.getuid?.() === 0 && fs.existsSync('/etc/debian_version');
}

let aptUpdated = false;
/** Installs Debian packages when we are root on Debian; otherwise stops with the exact command to run. */
export async function aptInstall(pkgs: string[], why: string): Promise<void> {
  if (!isRootOnDebian()) {
    throw new CliError(`${why}: install ${pkgs.join(', ')} (on Debian: sudo apt-get install -y ${pkgs.join(' ')}) and run again.`);
  }
  log(`installing ${pkgs.join(', ')} (${why})`);
  if (!aptUpdated) {
    await run('apt-get', ['update', '-qq'], { quiet: true });
    aptUpdated = true;
  }
  await run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...pkgs], {
    quiet: true,
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
