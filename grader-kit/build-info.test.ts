import { describe, expect, it } from 'vitest';
import { Submission } from './index';
import { readDockerfile } from './dockerfile';
import { exposedPortList, readBuildInfo, readRunInfo, stageChain, stepInstruction } from './build-info';

const sub = (files: Record<string, string>) => new Submission(new Map(Object.entries(files).map(([k, v]) => [k, Buffer.from(v)])));

describe('build info', () => {
  it('reads .lms/build.json, and treats a missing or broken one as a build that did not happen', () => {
    expect(readBuildInfo(sub({ '.lms/build.json': '{"ok":true,"imageSize":5}' }))).toEqual({ ok: true, imageSize: 5 });
    expect(readBuildInfo(sub({}))).toMatchObject({ ok: false });
    expect(readBuildInfo(sub({ '.lms/build.json': '{"ok":' }))).toMatchObject({ ok: false, error: 'unreadable build information' });
    expect(readBuildInfo(sub({ '.lms/build.json': '[1]' }))).toMatchObject({ ok: false });
    expect(readRunInfo(sub({}))).toBeUndefined();
    expect(readRunInfo(sub({ '.lms/run.json': '{"started":false,"error":"unable to find user app"}' }))).toEqual({
      started: false,
      error: 'unable to find user app',
    });
  });

  it('finds the instruction of a build step by its line, or by the classic builder numbering (global ARGs count)', () => {
    const df = readDockerfile(['ARG V=26', 'FROM node:${V} AS deps', 'RUN npm ci', '', 'FROM deps', 'CMD ["node", "server.js"]'].join('\n'));
    expect(stepInstruction(df, { step: 3, instruction: 'RUN npm ci', cached: false })?.line).toBe(3);
    expect(stepInstruction(df, { step: 1, instruction: 'x', cached: false, line: 6 })?.op).toBe('CMD');
    expect(stepInstruction(df, { step: 99, instruction: 'x', cached: false })).toBeUndefined();
  });

  it('follows FROM <stage> links from the final stage, and stops on a loop-free chain', () => {
    const df = readDockerfile(['FROM node:26 AS base', 'FROM base AS build', 'FROM node:26 AS other', 'FROM build'].join('\n'));
    expect(stageChain(df).map((s) => s.index)).toEqual([3, 1, 0]);
    expect(stageChain(df, df.stages[2]).map((s) => s.index)).toEqual([2]);
  });

  it('lists exposed ports from either shape the engine may send', () => {
    expect(exposedPortList({ exposedPorts: { '8080/tcp': {} } })).toEqual(['8080/tcp']);
    expect(exposedPortList({ exposedPorts: ['8080/tcp'] })).toEqual(['8080/tcp']);
    expect(exposedPortList({})).toBeUndefined();
  });
});
