import { describe, expect, it } from 'vitest';
import { gateDockerfile } from '@/lib/grading/dockerfile-gate';

const BASES = ['debian:bookworm-slim', 'lms/node:18'];
const gate = (lines: string[]) => gateDockerfile(lines.join('\n'), BASES);
const refused = (lines: string[]) => gate(lines).refusals.map((r) => r.message.en);

describe('the build gate', () => {
  it('accepts what real Dockerfiles write: ARG in FROM, aliases, platform ARGs, cache/bind/tmpfs mounts, heredocs, stage copies', () => {
    const r = gate([
      'ARG NODE_IMAGE=lms/node:18',
      'FROM --platform=$BUILDPLATFORM ${NODE_IMAGE} AS Deps',
      'WORKDIR /app',
      'RUN --mount=type=bind,source=package.json,target=package.json --mount=type=cache,target=/root/.npm --mount=type=tmpfs,target=/t npm install',
      'RUN --network=none <<EOF',
      'echo hi',
      'EOF',
      'FROM deps AS build',
      'RUN --mount=type=bind,from=deps,source=/app,target=/d --mount=type=cache,from=debian:bookworm-slim,target=/c true',
      'FROM docker.io/library/debian:bookworm-slim',
      'COPY --from=build /app /app',
      'COPY --from=1 /app /app2',
      'COPY --from=lms/node:18 /usr/bin/node /usr/bin/node',
    ]);
    expect(r.refusals).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.dockerfile).toBe(
      ['ARG NODE_IMAGE=lms/node:18', 'FROM --platform=$BUILDPLATFORM ${NODE_IMAGE} AS Deps'].join('\n') + r.dockerfile.slice(r.dockerfile.indexOf('\nWORKDIR')),
    );
  });

  it('refuses images that are not allowed bases, in every form: FROM split by a continuation, ARG, COPY --from, mount from, ONBUILD', () => {
    expect(refused(['FROM \\', '  lms-grader-week07-prometheus-alerts:abc', 'CMD ["x"]'])).toEqual([
      expect.stringMatching(/^Dockerfile:1: FROM lms-grader-week07-prometheus-alerts:abc is not available here/),
    ]);
    expect(refused(['ARG B=alpine:3.20', 'FROM ${B}'])).toEqual([expect.stringMatching(/FROM alpine:3.20 is not available/)]);
    expect(refused(['FROM lms/node:18', 'COPY --from=lms-grader-week07-prometheus-alerts:abc /grader/data /d'])).toEqual([
      expect.stringMatching(/^Dockerfile:2: COPY --from=lms-grader-week07.*neither/),
    ]);
    expect(refused(['FROM lms/node:18', 'ARG G=lms-runtime-node:x', 'COPY --from=$G /a /b'])).toEqual([
      expect.stringMatching(/COPY --from=lms-runtime-node:x/),
    ]);
    expect(refused(['FROM lms/node:18', 'RUN --mount=type=bind,from=lms-grader-week02:x,target=/g cat /g/grader.cjs'])).toEqual([
      expect.stringMatching(/RUN --mount=\.\.\.,from=lms-grader-week02:x/),
    ]);
    expect(refused(['FROM lms/node:18 AS a', 'ONBUILD COPY --from=secret-image:1 /x /x', 'FROM a'])).toEqual([
      expect.stringMatching(/Dockerfile:2: COPY --from=secret-image:1/),
    ]);
    expect(refused(['FROM lms/node:18', 'COPY --from=later /x /x', 'FROM lms/node:18 AS later'])).toEqual([expect.stringMatching(/COPY --from=later/)]);
    expect(refused(['FROM debian'])).toEqual([expect.stringMatching(/FROM debian is not available here; use one of debian:bookworm-slim, lms\/node:18/)]);
  });

  it('refuses everything that would reach a network: remote ADD (also exec form through an ARG), git sources, RUN --network, secrets, ssh', () => {
    expect(refused(['FROM lms/node:18', 'ADD http://127.0.0.1:9464/metrics /m'])).toEqual([
      expect.stringMatching(/^Dockerfile:2: ADD http:\/\/127.0.0.1:9464\/metrics: builds here have no network/),
    ]);
    expect(refused(['FROM lms/node:18', 'ARG U=http://127.0.0.1:3000/api/health', 'ADD ["$U", "/h"]'])).toHaveLength(1);
    expect(refused(['FROM lms/node:18', 'ADD https://github.com/moby/buildkit.git#v0.13.0 /src'])).toEqual([expect.stringMatching(/git repository/)]);
    expect(refused(['FROM lms/node:18', 'ADD git@github.com:moby/buildkit.git /src'])).toHaveLength(1);
    expect(refused(['FROM lms/node:18', 'RUN --network=host wget -qO- http://127.0.0.1:3000'])).toEqual([expect.stringMatching(/RUN --network=host/)]);
    expect(refused(['FROM lms/node:18', 'RUN --network=default true'])).toHaveLength(1);
    expect(refused(['FROM lms/node:18', 'RUN --security=insecure true'])).toEqual([expect.stringMatching(/--security=insecure/)]);
    expect(refused(['FROM lms/node:18', 'RUN --mount=type=ssh git clone x'])).toEqual([expect.stringMatching(/type=ssh: no secrets or SSH agent/)]);
    expect(refused(['FROM lms/node:18', 'RUN --mount=type=secret,id=npmrc cat /run/secrets/npmrc'])).toHaveLength(1);
    expect(refused(['FROM lms/node:18', 'RUN --mount=type=weird,target=/x true'])).toEqual([expect.stringMatching(/unknown mount type/)]);
    expect(refused(['FROM lms/node:18', 'RUN --device=/dev/kvm true'])).toEqual([expect.stringMatching(/RUN --device/)]);
    expect(refused(['FROM lms/node:18 AS a', 'ONBUILD RUN --network=host true'])).toHaveLength(1);
    expect(refused(['FROM --platform=linux/arm64 lms/node:18'])).toEqual([expect.stringMatching(/linux\/amd64 images only/)]);
  });

  it('drops a docker/dockerfile syntax directive (other directives kept first, lines unchanged) and refuses other frontends', () => {
    const r = gate(['# syntax=docker/dockerfile:1', '# escape=`', 'FROM lms/node:18', 'RUN echo a `', '  b']);
    expect(r.ok).toBe(true);
    expect(r.dockerfile.split('\n')).toEqual(['# escape=`', '#', 'FROM lms/node:18', 'RUN echo a `', '  b']);
    expect(r.notes[0]!.message.en).toMatch(/was not fetched; the builder's own Dockerfile frontend/);
    expect(gate(['# syntax=docker.io/docker/dockerfile:1.7-labs@sha256:' + 'a'.repeat(64), 'FROM lms/node:18']).ok).toBe(true);
    expect(refused(['# syntax=example.com/my/frontend:1', 'FROM lms/node:18'])).toEqual([expect.stringMatching(/cannot fetch another Dockerfile frontend/)]);
  });

  it('builds a digest-pinned allowed base from the local image of its tag, keeping the lines; a digest alone is refused', () => {
    const d = 'sha256:' + 'b'.repeat(64);
    const r = gate(['ARG IMG=lms/node:18@' + d, 'FROM --platform=$BUILDPLATFORM ${IMG} \\', '  AS build', 'RUN true']);
    expect(r.ok).toBe(true);
    expect(r.dockerfile.split('\n')).toEqual(['ARG IMG=lms/node:18@' + d, 'FROM --platform=$BUILDPLATFORM lms/node:18 AS build', '', 'RUN true']);
    expect(r.notes.map((n) => n.line)).toEqual([2]);
    expect(refused(['FROM lms/node@' + d])).toHaveLength(1);
    expect(refused(['FROM lms/node:20@' + d])).toHaveLength(1);
  });

  it('never throws on garbage', () => {
    for (const t of ['', '\0\0', 'FROM', 'FROM ${', 'RUN --mount=', 'COPY --from= a b', '# syntax=\nFROM x', 'ONBUILD', '\\\n\\\n'])
      expect(() => gateDockerfile(t, BASES)).not.toThrow();
    expect(gateDockerfile('FROM ${X:?no}', BASES).ok).toBe(false);
  });
});
