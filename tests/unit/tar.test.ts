import { describe, expect, it } from 'vitest';
import { extract } from 'tar-stream';
import { Readable } from 'node:stream';
import { buildSubmissionTar, checkEntryName, ArchiveError } from '@/lib/grading/tar';
import { ARCHIVE_LIMITS } from '@/lib/grading/limits';

async function entries(buf: Buffer) {
  const out: { name: string; type: string; mode: number; size: number }[] = [];
  const ex = extract();
  const done = new Promise<void>((resolve, reject) => {
    ex.on('entry', (h, stream, next) => {
      out.push({ name: h.name, type: h.type ?? 'file', mode: h.mode ?? 0, size: h.size ?? 0 });
      stream.resume();
      stream.on('end', next);
    });
    ex.on('finish', resolve);
    ex.on('error', reject);
  });
  Readable.from(buf).pipe(ex);
  await done;
  return out;
}

describe('checkEntryName', () => {
  it.each([
    ['/etc/passwd', 'absolute'],
    ['../escape.tf', '".."'],
    ['a/../../b', '".."'],
    ['./main.tf', '"."'],
    ['a//b', 'empty'],
    ['a\\b.tf', 'backslash'],
    ['bad\u0000name', 'control'],
    ['new\nline', 'control'],
    ['', 'empty'],
    ['x'.repeat(ARCHIVE_LIMITS.maxPathLength + 1), 'longer'],
    ['a/b/c/d/e/f/g/h/i/j.tf', 'deep'],
    ['my file.tf', 'characters'],
    ['-rf', 'characters'],
  ])('refuses %j', (name, why) => {
    expect(checkEntryName(name)).toContain(why);
  });

  it.each(['main.tf', 'modules/vpc/main.tf', '.github/workflows/ci.yml', 'Dockerfile', 'a_b-c.d.yaml'])('accepts %j', (name) => {
    expect(checkEntryName(name)).toBeNull();
  });
});

describe('buildSubmissionTar', () => {
  it('writes regular files only, sorted, with safe modes', async () => {
    const tar = await buildSubmissionTar([
      { path: 'b.tf', content: Buffer.from('b') },
      { path: 'dir/a.tf', content: Buffer.from('aa') },
    ]);
    const e = await entries(tar);
    expect(e.map((x) => x.name)).toEqual(['b.tf', 'dir/a.tf']);
    expect(e.every((x) => x.type === 'file' && x.mode === 0o644)).toBe(true);
    expect(e[1]!.size).toBe(2);
  });

  it('rejects duplicates, too many files and oversize content before building anything', async () => {
    await expect(
      buildSubmissionTar([
        { path: 'a', content: Buffer.alloc(1) },
        { path: 'a', content: Buffer.alloc(1) },
      ]),
    ).rejects.toThrow(ArchiveError);
    const many = Array.from({ length: ARCHIVE_LIMITS.maxEntries + 1 }, (_, i) => ({ path: `f${i}`, content: Buffer.alloc(0) }));
    await expect(buildSubmissionTar(many)).rejects.toThrow(/too many files/);
    await expect(buildSubmissionTar([{ path: 'big', content: Buffer.alloc(ARCHIVE_LIMITS.maxFileBytes + 1) }])).rejects.toThrow(/larger than/);
    await expect(buildSubmissionTar([{ path: '../x', content: Buffer.alloc(1) }])).rejects.toThrow(/"\.\."/);
  });

  it('accepts a 0-byte file (the lab decides whether it is gradable)', async () => {
    const e = await entries(await buildSubmissionTar([{ path: 'main.tf', content: Buffer.alloc(0) }]));
    expect(e).toEqual([{ name: 'main.tf', type: 'file', mode: 0o644, size: 0 }]);
  });
});
