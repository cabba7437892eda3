import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { learnerBaseImages, learnerNodeImageTag, learnerNodeTags, learnerNodeVersions } from '@/lib/grading/learner-bases';
import { learnerStartError, subjectUser } from '@/lib/grading/subject-run';
import { gateDockerfile } from '@/lib/grading/dockerfile-gate';
import { gateLearnerDockerfile } from '@/lib/grading/build';
import { SANDBOX_USER } from '@/lib/grading/limits';

describe('learner base images', () => {
  it('are tagged like the official Node images, from the one pinned version', () => {
    const v = learnerNodeVersions();
    expect(v.node.version).toMatch(/^26\.\d+\.\d+$/);
    expect(v.node.integrity).toMatch(/^sha512-[A-Za-z0-9+/]{86}==$/);
    expect(v.npm.integrity).toMatch(/^sha512-[A-Za-z0-9+/]{86}==$/);
    const [major, minor] = v.node.version.split('.');
    expect(learnerNodeTags('bookworm')).toEqual([
      `node:${v.node.version}-bookworm-slim`,
      `node:${major}.${minor}-bookworm-slim`,
      `node:${major}-bookworm-slim`,
      'node:lts-bookworm-slim',
      'node:bookworm-slim',
    ]);
    // Like upstream, the release-less slim tags are the default (trixie) release.
    expect(learnerNodeTags('trixie')).toContain(`node:${major}-slim`);
    expect(learnerNodeTags('bookworm')).not.toContain(`node:${major}-slim`);
    const all = learnerBaseImages();
    for (const t of ['debian:bookworm-slim', 'debian:trixie-slim', 'lms/node:18', `node:${major}-bookworm-slim`, `node:${v.node.version}-trixie-slim`])
      expect(all).toContain(t);
    // The full (non-slim) image is not here: it would claim what it is not.
    expect(all).not.toContain(`node:${major}`);
    expect(new Set(all).size).toBe(all.length);
  });

  it('have a content tag that follows the recipe', () => {
    expect(learnerNodeImageTag('bookworm')).toMatch(/^lms-learner-node:[0-9a-f]{12}-bookworm$/);
    const recipe = fs.readFileSync(path.join(process.cwd(), 'images', 'learner-node', 'Dockerfile'), 'utf8');
    // The layout the official images have, and nothing at the sandbox's ids.
    expect(recipe).toMatch(/groupadd --gid 1000 node/);
    expect(recipe).toMatch(/useradd --uid 1000 --gid node --shell \/bin\/bash --create-home node/);
    expect(recipe).toMatch(/ENTRYPOINT \["docker-entrypoint.sh"\]\s+CMD \["node"\]/);
    expect(recipe).toMatch(/! getent passwd 10001 && ! getent group 10001/);
  });

  it('pass the gate under every tag, and other Node tags are refused', () => {
    const bases = learnerBaseImages();
    for (const t of bases) expect(gateDockerfile(`FROM ${t}\nRUN true\n`, bases).ok).toBe(true);
    expect(gateDockerfile('FROM node:26\n', bases).ok).toBe(false);
    expect(gateDockerfile('FROM node:24-bookworm-slim\n', bases).ok).toBe(false);
  });

  it('a refusal names each base once, in both languages, not every alias tag', () => {
    const { info } = gateLearnerDockerfile([{ path: 'Dockerfile', content: Buffer.from('FROM node:26\n') }], 'Dockerfile');
    const m = info!.refused![0]!.message;
    for (const text of [m.ko, m.en]) {
      expect(text).toMatch(/^Dockerfile:1: FROM node:26/);
      for (const t of ['debian:bookworm-slim', 'debian:trixie-slim', 'node:26-bookworm-slim', 'node:26-trixie-slim', 'lms/node:18']) expect(text).toContain(t);
      expect(text).not.toContain('node:lts-bookworm-slim');
    }
    expect(m.ko).toMatch(/lts 태그로도 있고/);
  });
});

describe('running a learner image as the subject', () => {
  it('runs as the image USER unless it is root or unset', () => {
    for (const u of ['', '  ', 'root', '0', '0:0', 'root:root', '0:1000', undefined]) expect(subjectUser(u)).toBe(SANDBOX_USER);
    for (const u of ['node', '1000', '1000:1000', '10001:10001', 'app:app', 'node:root', 'rooty']) expect(subjectUser(u)).toBe(u.trim());
  });

  it('tells a start failure caused by the image from one of the engine', () => {
    expect(learnerStartError(new Error('(HTTP code 400) unexpected - unable to find user app: no matching entries in passwd file'))).toBe(
      'unable to find user app: no matching entries in passwd file',
    );
    expect(
      learnerStartError(
        new Error(
          '(HTTP code 400) unexpected - failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "nodex": executable file not found in $PATH: unknown',
        ),
      ),
    ).toMatch(/executable file not found/);
    expect(learnerStartError(new Error('connect ENOENT /var/run/docker.sock'))).toBeUndefined();
    expect(learnerStartError(new Error('(HTTP code 500) server error - no space left on device'))).toBeUndefined();
  });
});
