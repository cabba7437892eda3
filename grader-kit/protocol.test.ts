import { describe, expect, it } from 'vitest';
import { buildInfo, formatProgress, graderOutput, graderSubjectEnv, parseProgress, PROGRESS_PREFIX, runInfo, SUBJECT_ENV } from './protocol';
import { fail, partial, pass } from './index';

describe('the engine↔grader contract', () => {
  it('accepts the verdicts the kit helpers make and refuses what a grader must not print', () => {
    const doc = {
      gradable: true,
      checks: [
        pass('a', 2),
        fail('b', { ko: '틀림', en: 'wrong' }),
        partial('c', 3, [
          { ok: true, message: 'x' },
          { ok: false, message: 'y' },
        ]),
      ],
    };
    expect(graderOutput.parse(JSON.parse(JSON.stringify(doc))).checks.map((c) => [c.id, c.points, c.passed])).toEqual([
      ['a', 2, true],
      ['b', 0, false],
      ['c', 1.5, false],
    ]);
    expect(graderOutput.parse({ gradable: false, message: 'bad' }).checks).toEqual([]);
    expect(graderOutput.safeParse({ gradable: true, checks: [], extra: 1 }).success).toBe(false);
    expect(graderOutput.safeParse({ gradable: true, checks: [{ id: 'a', points: -1, passed: true }] }).success).toBe(false);
    expect(graderOutput.safeParse({ gradable: true, message: { ko: '', en: 'x' }, checks: [] }).success).toBe(false);
  });

  it('reads back the progress line a grader writes, and nothing else', () => {
    const line = formatProgress({ id: 'fires', passed: false });
    expect(line.startsWith(PROGRESS_PREFIX)).toBe(true);
    expect(parseProgress(line)).toEqual({ id: 'fires', passed: false });
    expect(parseProgress(`${PROGRESS_PREFIX}{"id":"x"}`)).toBeUndefined();
    expect(parseProgress(`${PROGRESS_PREFIX}not json`)).toBeUndefined();
    expect(parseProgress('LMS-PROGRESS {"id":"x","passed":true}')).toBeUndefined();
  });

  it('describes the build and run documents the engine writes', () => {
    const written = {
      ok: true,
      log: '#1 ...',
      durationMs: 1200,
      steps: [{ step: 1, instruction: 'FROM node:26.12.1-trixie-slim', cached: false, line: 1, stage: 0 }],
      image: { user: 'node', exposedPorts: ['8080/tcp'], healthcheck: null, cmd: ['node', 'server.js'], volumes: [] },
      added: [{ createdBy: 'COPY . .', size: 10, files: [{ path: 'app/server.js', size: 10, type: 'file' }] }],
      refused: [{ line: 1, message: { ko: '거부', en: 'refused' } }],
      builder: { kind: 'buildkit', version: 'v0.26' },
      baseImages: { 'node:26.12.1-trixie-slim': 100 },
    };
    expect(buildInfo.parse(written)).toEqual(written);
    expect(buildInfo.safeParse({ log: 'x' }).success).toBe(false);
    expect(runInfo.parse({ started: true, user: 'node', answered: true, health: { exitCode: 0, output: '', durationMs: 5 } }).health?.exitCode).toBe(0);
  });

  it('names the subject for the grader by its port', () => {
    expect(graderSubjectEnv(8081)).toEqual([`${SUBJECT_ENV.url}=http://127.0.0.1:8081`, `${SUBJECT_ENV.host}=127.0.0.1`, `${SUBJECT_ENV.port}=8081`]);
  });
});
