import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import { BASE_IMAGE, imageExists } from '../lib/grading/images';
import { aptInstall, CliError, log, run, which } from './sh';

/**
 * Makes sure the base image the Dockerfiles name exists. A registry is tried first (briefly); where none can be
 * reached, a minimal Debian bookworm is bootstrapped with debootstrap and imported under the same tag, so every
 * `FROM` resolves without a pull.
 */
export async function ensureBaseImage(docker: Docker): Promise<void> {
  if (await imageExists(docker, BASE_IMAGE)) return;
  log(`base image ${BASE_IMAGE} is missing; trying a pull`);
  const pulled = await Promise.race([
    new Promise<boolean>((resolve) => {
      docker.pull(BASE_IMAGE, (err: Error | null, stream: NodeJS.ReadableStream) => {
        if (err) return resolve(false);
        docker.modem.followProgress(stream, (e: Error | null) => resolve(!e));
      });
    }),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 20_000)),
  ]);
  if (pulled && (await imageExists(docker, BASE_IMAGE))) return;
  if (!BASE_IMAGE.startsWith('debian:bookworm')) throw new CliError(`cannot pull ${BASE_IMAGE} and can only bootstrap debian:bookworm images`);
  if (!which('debootstrap')) await aptInstall(['debootstrap'], `no registry reachable to pull ${BASE_IMAGE}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-rootfs-'));
  try {
    log(`bootstrapping Debian bookworm (minbase) for ${BASE_IMAGE}; about 30 s`);
    await run('debootstrap', ['--variant=minbase', 'bookworm', dir], { quiet: true });
    await run('sh', ['-c', `tar -C "${dir}" -c . | docker import - "${BASE_IMAGE}"`], { quiet: true });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  log(`imported ${BASE_IMAGE}`);
}
